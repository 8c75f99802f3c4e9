namespace Drover.Core.Supervision;

/// <summary>
/// The life of one process group that an instance started (its process's, or its type's stop command's). Moved
/// only by <see cref="Instance"/>, through the table of legal group moves beside its own.
/// </summary>
public enum GroupState
{
    /// <summary>Its leader is the instance's current process.</summary>
    Leading,

    /// <summary>
    /// Its leader exited while processes it started are still in the group: they were asked to stop, and get
    /// SIGKILL at the group's deadline. The instance may meanwhile run a new process in a group of its own.
    /// </summary>
    Lingering,

    /// <summary>No process is left in it, but its leader's exit is not handled yet (its last output is still read).</summary>
    Emptied,

    /// <summary>The group of the type's stop command, waited for and killed at its deadline.</summary>
    StopCommand,

    /// <summary>Nothing is left and the leader's exit is handled: the instance no longer holds it.</summary>
    Gone,
}
