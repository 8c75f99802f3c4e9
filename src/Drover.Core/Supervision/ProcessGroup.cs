namespace Drover.Core.Supervision;

/// <summary>
/// One process group held by an instance until nothing of it is left: the group of a process it started (led by
/// that process, then possibly outliving it) or of its type's stop command. Its state and its SIGKILL deadline
/// are the instance's to change, on the supervisor's loop.
/// </summary>
public sealed class ProcessGroup
{
    // Completed when the group is gone; made only when someone waits for that.
    private TaskCompletionSource? _gone;

    internal ProcessGroup(IRunningProcess process, GroupState state, Instance owner)
    {
        Process = process;
        State = state;
        Owner = owner;
    }

    /// <summary>Its leader; the process group has the leader's id.</summary>
    public IRunningProcess Process { get; }

    /// <summary>Where it is in its life.</summary>
    public GroupState State { get; internal set; }

    /// <summary>True while processes may be left in it.</summary>
    public bool IsAlive => State is GroupState.Leading or GroupState.Lingering or GroupState.StopCommand;

    /// <summary>The instance that holds it: a replacement of the same name takes over what its predecessor left.</summary>
    internal Instance Owner { get; set; }

    /// <summary>The timer that sends SIGKILL to what is left once the stop timeout has passed; null when none is armed.</summary>
    internal ITimer? Deadline { get; set; }

    /// <summary>Completes when the group is <see cref="GroupState.Gone"/>.</summary>
    internal Task WhenGone()
    {
        if (State == GroupState.Gone)
        {
            return Task.CompletedTask;
        }
        _gone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _gone.Task;
    }

    /// <summary>Disarms the deadline; tells whoever waits that the group is gone (<paramref name="error"/>: it
    /// never will be, the formation is over).</summary>
    internal void End(Exception? error = null)
    {
        Deadline?.Dispose();
        Deadline = null;
        if (error is null)
        {
            _gone?.TrySetResult();
        }
        else
        {
            _gone?.TrySetException(error);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"group {Process.Pid} of {Owner.Name} ({State})";
}
