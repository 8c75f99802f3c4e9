namespace Drover.Core.Supervision;

/// <summary>How a shutdown request stops the formation.</summary>
public enum ShutdownMode
{
    /// <summary>SIGTERM to every group, SIGKILL after the stop timeout; asked again while shutting down, kills at once.</summary>
    Graceful,

    /// <summary>SIGKILL to every group at once.</summary>
    KillNow,
}
