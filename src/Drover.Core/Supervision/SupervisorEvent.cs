namespace Drover.Core.Supervision;

/// <summary>Everything that can happen to a formation, delivered to the supervisor's single event loop.</summary>
internal abstract record SupervisorEvent
{
    /// <summary>Start every instance of the formation.</summary>
    public sealed record StartAll : SupervisorEvent;

    /// <summary>A process was reaped.</summary>
    public sealed record ProcessExited(Instance Instance, int Generation, ExitStatus Status) : SupervisorEvent;

    /// <summary>The last process of a group is gone.</summary>
    public sealed record GroupGone(ProcessGroup Group) : SupervisorEvent;

    /// <summary>An instance's restart delay has elapsed.</summary>
    public sealed record RestartDue(Instance Instance, int Generation) : SupervisorEvent;

    /// <summary>The user asked to stop (a signal); a second graceful request means "kill now".</summary>
    public sealed record ShutdownRequested(ShutdownMode Mode) : SupervisorEvent;

    /// <summary>The stop timeout elapsed: kill what is left.</summary>
    public sealed record KillDeadline : SupervisorEvent;

    /// <summary>A group asked to stop (or left over by an exited leader) outlived the stop timeout.</summary>
    public sealed record GroupDeadline(ProcessGroup Group) : SupervisorEvent;

    /// <summary>Processes that had left their groups are gone (see <see cref="IStrayProcesses"/>).</summary>
    public sealed record StraysGone : SupervisorEvent;

    /// <summary>One check of a probe of an instance's process ended.</summary>
    public sealed record ProbeChecked(Instance Instance, int Generation, Probes.ProbeKind Kind, Probes.ProbeResult Result) : SupervisorEvent;

    /// <summary>An instance's process printed its type's ready log line.</summary>
    public sealed record ReadyLineSeen(Instance Instance, int Generation, string Line) : SupervisorEvent;

    /// <summary>A control request, run on the loop so that it sees and changes state consistently.</summary>
    public sealed record Invoke(Action Action) : SupervisorEvent;
}
