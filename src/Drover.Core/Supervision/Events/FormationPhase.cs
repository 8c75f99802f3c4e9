namespace Drover.Core.Supervision.Events;

/// <summary>The life of the formation as a whole. Moves are made only by the supervisor's phase table.</summary>
public enum FormationPhase
{
    /// <summary>Processes run and are restarted by policy; control requests are served.</summary>
    Running,

    /// <summary>Shutting down: SIGTERM was sent to every group; waiting for them to go or for the stop timeout.</summary>
    Terminating,

    /// <summary>SIGKILL was sent (stop timeout reached, or a second shutdown request); waiting for the groups to go.</summary>
    Killing,

    /// <summary>Every group is gone; stopping processes that escaped their groups.</summary>
    ReapingStrays,

    /// <summary>Over: nothing runs, the supervisor's run has returned or is returning.</summary>
    Done,
}
