namespace Drover.Core.Supervision.Events;

/// <summary>
/// Something that happened to the formation, published by the supervisor's loop in the order it happened. Every
/// consumer of lifecycle information (the <c>system</c> lines, the dashboard, the metrics, the controller, the
/// cluster agent) reads these instead of parsing text or polling.
/// </summary>
/// <param name="At">When it happened, by the supervisor's clock.</param>
public abstract record SupervisorChange(DateTimeOffset At);

/// <summary>Why an instance changed state.</summary>
public enum ChangeReason
{
    /// <summary>Its process was spawned.</summary>
    Started,

    /// <summary>Its process could not be started; counts as an exit with code 127.</summary>
    StartFailed,

    /// <summary>Its process exited (reaped, its output read).</summary>
    Exited,

    /// <summary>A control request stopped it (SIGTERM to its group, or it was idle).</summary>
    StopRequested,

    /// <summary>The formation is shutting down.</summary>
    Shutdown,

    /// <summary>It waits for the types it depends on (or what it waits for changed).</summary>
    Waiting,

    /// <summary>It became ready (readiness probe passed, ready log line seen).</summary>
    Ready,

    /// <summary>It is no longer ready (its readiness probe failed <c>failure_threshold</c> times).</summary>
    Unready,

    /// <summary>Its liveness probe passed.</summary>
    Healthy,

    /// <summary>Its liveness probe failed <c>failure_threshold</c> times: it is stopped and started again.</summary>
    LivenessFailed,
}

/// <summary>An instance moved from <paramref name="From"/> to <c>Instance.State</c>.</summary>
/// <param name="At">When.</param>
/// <param name="Instance">The instance after the move: pid, port, last exit status or signal, restarts.</param>
/// <param name="From">The state it left.</param>
/// <param name="Reason">Why it moved.</param>
public sealed record InstanceChanged(DateTimeOffset At, InstanceSnapshot Instance, InstanceState From, ChangeReason Reason)
    : SupervisorChange(At)
{
    /// <summary>The state it entered.</summary>
    public InstanceState To => Instance.State;
}

/// <summary>An instance left the formation (scaled down, or its type removed by a reload).</summary>
public sealed record InstanceRemoved(DateTimeOffset At, string Name) : SupervisorChange(At);

/// <summary>An instance in <see cref="InstanceState.Backoff"/> will be started again after <paramref name="Delay"/>.</summary>
public sealed record RestartScheduled(DateTimeOffset At, string Name, TimeSpan Delay, int Attempt) : SupervisorChange(At);

/// <summary>The formation as a whole moved from <paramref name="From"/> to <paramref name="To"/>.</summary>
/// <param name="At">When.</param>
/// <param name="From">The phase it left.</param>
/// <param name="To">The phase it entered.</param>
/// <param name="Reason">Why, in words (e.g. the stop timeout was reached).</param>
public sealed record PhaseChanged(DateTimeOffset At, FormationPhase From, FormationPhase To, string Reason) : SupervisorChange(At);

/// <summary>
/// A message for people (a warning, a signal sent to a leftover group): shown as a <c>system</c> line, never
/// parsed. Whatever a program needs to know travels in the typed changes.
/// </summary>
public sealed record Notice(DateTimeOffset At, string Message) : SupervisorChange(At);
