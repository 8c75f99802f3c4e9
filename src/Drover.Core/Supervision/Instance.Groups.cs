namespace Drover.Core.Supervision;

/// <summary>
/// The process groups an instance holds: its current process's, those its earlier processes left behind (members
/// that outlived their leader, being stopped), and its stop command's. Each lives until it is empty and its
/// leader's exit is handled; its SIGKILL deadline is armed and disarmed here. The moves are in the table
/// <c>GroupLegal</c> (Instance.cs).
/// </summary>
public sealed partial class Instance
{
    // Owned by the event loop: every group not yet gone, oldest first; and the current process's.
    private readonly List<ProcessGroup> _groups = [];
    private ProcessGroup? _group;

    /// <summary>The groups not yet gone, oldest first.</summary>
    public IReadOnlyList<ProcessGroup> Groups => _groups;

    /// <summary>The group of the current process (<see cref="Process"/>); null when there is none.</summary>
    public ProcessGroup? Group => _group;

    /// <summary>True while any of its groups may still hold a process, the current one or leftovers.</summary>
    public bool HasLiveGroups
    {
        get
        {
            foreach (var group in _groups)
            {
                if (group.IsAlive)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Holds the group of its type's stop command until it is gone.</summary>
    internal ProcessGroup StopCommandStarted(IRunningProcess process)
    {
        var group = new ProcessGroup(process, GroupState.StopCommand, this);
        _groups.Add(group);
        return group;
    }

    /// <summary>No process is left in <paramref name="group"/>: gone, or emptied while its leader's exit is still to be handled.</summary>
    internal void GroupEmptied(ProcessGroup group) =>
        MoveGroup(group, GroupMove.Emptied, group.State == GroupState.Leading ? GroupState.Emptied : GroupState.Gone);

    /// <summary>
    /// Arms <paramref name="group"/>'s SIGKILL deadline: <paramref name="due"/> is called with it once
    /// <paramref name="timeout"/> has passed, unless the group is empty by then. A deadline already armed stays.
    /// </summary>
    internal void ArmDeadline(ProcessGroup group, TimeProvider time, TimeSpan timeout, Action<ProcessGroup> due)
    {
        if (group.Owner == this && group.IsAlive && group.Deadline is null)
        {
            group.Deadline = time.CreateTimer(_ => due(group), null, timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Completes when every group it holds now is gone.</summary>
    internal Task WhenGroupsGone() => _groups.Count == 0 ? Task.CompletedTask : Task.WhenAll(_groups.Select(g => g.WhenGone()));

    /// <summary>
    /// Takes over what <paramref name="previous"/> (a stopped or exited instance of the same name that this one
    /// replaces) still holds, so its leftovers are still stopped, killed at their deadline and waited for.
    /// </summary>
    internal void TakeOverGroups(Instance previous)
    {
        foreach (var group in previous._groups)
        {
            group.Owner = this;
            _groups.Add(group);
        }
        previous._groups.Clear();
    }

    /// <summary>The formation is over: deadlines disarmed, and whoever still waits for a group is told <paramref name="error"/>.</summary>
    internal void AbandonGroups(Exception error)
    {
        foreach (var group in _groups)
        {
            group.End(error);
        }
    }

    private void Lead(IRunningProcess process)
    {
        _group = new ProcessGroup(process, GroupState.Leading, this);
        _groups.Add(_group);
    }

    private void LeaderExited()
    {
        if (_group is not { } group)
        {
            return;
        }
        _group = null;
        MoveGroup(group, GroupMove.LeaderExited, group.State == GroupState.Emptied ? GroupState.Gone : GroupState.Lingering);
    }

    private void MoveGroup(ProcessGroup group, GroupMove move, GroupState next)
    {
        if (group.Owner != this || !GroupLegal[move].Contains((group.State, next)))
        {
            throw new InvalidOperationException($"{Name}: illegal move {group.State} -> {next} of process group {group.Process.Pid}");
        }
        group.State = next;
        if (next == GroupState.Gone)
        {
            _groups.Remove(group);
            group.End();
        }
        else if (!group.IsAlive)
        {
            // Nothing left to kill.
            group.Deadline?.Dispose();
            group.Deadline = null;
        }
    }
}
