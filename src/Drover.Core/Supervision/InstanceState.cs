namespace Drover.Core.Supervision;

/// <summary>The life of one process instance. Transitions are made only by <see cref="Instance"/>.</summary>
public enum InstanceState
{
    /// <summary>Not started yet.</summary>
    Pending,

    /// <summary>Its process is running.</summary>
    Running,

    /// <summary>Exited, waiting for its restart delay.</summary>
    Backoff,

    /// <summary>Asked to stop (SIGTERM sent), waiting for it to exit.</summary>
    Stopping,

    /// <summary>Stopped on request; terminal until started again.</summary>
    Stopped,

    /// <summary>Exited and not to be restarted (finished, or restart policy says no); terminal.</summary>
    Exited,

    /// <summary>
    /// Failed again after its type's <c>max_restarts</c> (docs/settings.md); terminal: only a start, restart or
    /// scale by hand runs it again.
    /// </summary>
    GivenUp,

    /// <summary>Not started yet because a type it depends on (<c>depends_on</c>) has not met its condition.</summary>
    Waiting,
}
