namespace Drover.Core.Supervision;

/// <summary>A point-in-time copy of an instance's state, safe to hand to other threads.</summary>
/// <param name="Name">e.g. <c>web.2</c>.</param>
/// <param name="Type">The process type.</param>
/// <param name="Index">The 1-based instance number.</param>
/// <param name="State">The state-machine state.</param>
/// <param name="Pid">The process (and group) id while it runs or is stopping.</param>
/// <param name="StartedAt">When the current or last process started.</param>
/// <param name="Restarts">Restarts after exits.</param>
/// <param name="Port">The PORT it was given.</param>
/// <param name="LastExit">How the last process ended.</param>
/// <param name="Command">The command line.</param>
public sealed record InstanceSnapshot(
    string Name,
    string Type,
    int Index,
    InstanceState State,
    int? Pid,
    DateTimeOffset? StartedAt,
    int Restarts,
    int? Port,
    ExitStatus? LastExit,
    string Command)
{
    /// <summary>Ready for work: running, and its readiness probe and ready log line (when it has them) passed.</summary>
    public bool Ready { get; init; }

    /// <summary>Whether its type has a readiness probe or ready log line (without, it is ready once running).</summary>
    public bool HasReadinessCheck { get; init; }

    /// <summary>By its liveness probe while running; null without a liveness probe or when not running.</summary>
    public bool? Healthy { get; init; }

    /// <summary>While <see cref="InstanceState.Waiting"/>: the types it waits for.</summary>
    public IReadOnlyList<string> WaitingFor { get; init; } = [];

    /// <summary>While waiting: why it cannot start as things are (a dependency exited and is not restarted).</summary>
    public string? Blocked { get; init; }

    /// <summary>The last thing worth telling about it (a liveness restart, ...), for ps; null when nothing.</summary>
    public string? Note { get; init; }

    /// <summary>Copies <paramref name="instance"/>; call only on the supervisor's loop.</summary>
    internal static InstanceSnapshot Of(Instance instance) => new(
        instance.Name.ToString(),
        instance.Name.Type,
        instance.Name.Index,
        instance.State,
        instance.Pid,
        instance.StartedAt == default ? null : instance.StartedAt,
        instance.Restarts,
        instance.Spec.Port,
        instance.LastExit,
        instance.Spec.Command)
    {
        Ready = instance.Ready,
        HasReadinessCheck = instance.HasReadinessCheck,
        Healthy = instance.Healthy,
        WaitingFor = instance.WaitingFor,
        Blocked = instance.Blocked,
        Note = instance.Note,
    };
}
