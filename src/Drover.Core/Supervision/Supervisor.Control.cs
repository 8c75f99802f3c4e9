using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Supervision.Events;

namespace Drover.Core.Supervision;

/// <summary>
/// Primitive operations for the control API: snapshot, stop, start or replace, and remove an instance. Each runs
/// on the event loop; multi-step operations (scale, rolling restart, reload) are built on them by
/// <see cref="Control.FormationController"/>.
/// </summary>
public sealed partial class Supervisor
{
    /// <summary>A copy of every instance's state, in formation order.</summary>
    public Task<IReadOnlyList<InstanceSnapshot>> SnapshotAsync() =>
        OnLoop<IReadOnlyList<InstanceSnapshot>>(() => _instances.Select(InstanceSnapshot.Of).ToList());

    /// <summary>
    /// Stops one instance without restarting it: SIGTERM to its group, SIGKILL after the stop timeout. Completes
    /// when no process of its group is left.
    /// </summary>
    public async Task StopInstanceAsync(InstanceName name)
    {
        Task done = await OnLoop(() => StopInstance(Find(name))).ConfigureAwait(false);
        await done.ConfigureAwait(false);
    }

    /// <summary>
    /// Starts an instance. With <paramref name="replacement"/>, that instance (same name, possibly a new command
    /// or environment) takes the place of a stopped one, or is added when no instance has the name.
    /// </summary>
    public Task<InstanceSnapshot> StartInstanceAsync(InstanceName name, Instance? replacement = null) => OnLoop(() =>
    {
        ThrowIfShuttingDown();
        int at = _instances.FindIndex(i => i.Name == name);
        Instance instance;
        if (replacement is not null)
        {
            if (at >= 0)
            {
                if (!_instances[at].IsTerminal)
                {
                    throw new ControlException($"{name} is {_instances[at].State}; stop it first", ControlError.Conflict);
                }
                // What the stopped one left behind is still stopped, killed at its deadline and waited for.
                replacement.TakeOverGroups(_instances[at]);
                _instances[at] = replacement;
            }
            else
            {
                int lastOfType = _instances.FindLastIndex(i => i.Name.Type == name.Type);
                _instances.Insert(lastOfType < 0 ? _instances.Count : lastOfType + 1, replacement);
                _output.SetNameWidth(NameWidth.Of(_instances.Select(i => i.Name.ToString())));
            }
            instance = replacement;
        }
        else
        {
            instance = at >= 0 ? _instances[at] : throw new ControlException($"no instance {name}", ControlError.NotFound);
        }
        if (instance.IsTerminal || instance.State == InstanceState.Pending)
        {
            StartOrWait(instance);
        }
        return InstanceSnapshot.Of(instance);
    });

    /// <summary>Removes a stopped instance from the formation (after scaling down).</summary>
    public Task RemoveInstanceAsync(InstanceName name) => OnLoop(() =>
    {
        var instance = Find(name);
        if (!instance.IsTerminal || instance.Groups.Count > 0)
        {
            throw new ControlException($"{name} is still running", ControlError.Conflict);
        }
        _instances.Remove(instance);
        Publish(new InstanceRemoved(_time.GetUtcNow(), name.ToString()));
        return true;
    });

    private Task StopInstance(Instance instance)
    {
        ThrowIfShuttingDown();
        switch (instance.State)
        {
            case InstanceState.Running:
                var group = instance.Group!;
                StopGracefully(instance, ChangeReason.StopRequested);
                return group.WhenGone();
            case InstanceState.Stopping:
                // Being stopped for a liveness restart: the request to stop wins, it is not started again.
                instance.RestartWhenStopped = false;
                return instance.Group!.WhenGone();
            case InstanceState.Pending or InstanceState.Backoff or InstanceState.Waiting:
                var from = instance.State;
                instance.StoppedIdle();
                Changed(instance, from, ChangeReason.StopRequested);
                return Task.CompletedTask;
            default:
                // Already down; leftovers of its earlier groups, if any, are on their way out.
                return instance.WhenGroupsGone();
        }
    }

    /// <summary>Stop requests still waiting for a group are told that the formation is over; no deadline stays armed.</summary>
    private void FailPendingRequests()
    {
        foreach (var instance in _instances)
        {
            instance.AbandonGroups(new ControlException("the formation has stopped", ControlError.Conflict));
        }
    }

    private Instance Find(InstanceName name) =>
        _instances.FirstOrDefault(i => i.Name == name)
        ?? throw new ControlException($"no instance {name}", ControlError.NotFound);

    private void ThrowIfShuttingDown()
    {
        if (ShuttingDown)
        {
            throw new ControlException("the formation is shutting down", ControlError.Conflict);
        }
    }

    /// <summary>Runs <paramref name="action"/> on the event loop and returns its result (or exception).</summary>
    private Task<T> OnLoop<T>(Func<T> action)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var posted = _events.Writer.TryWrite(new SupervisorEvent.Invoke(() =>
        {
            try
            {
                // Queued behind the event that ended the formation: answered, never left waiting.
                result.TrySetResult(_phase == FormationPhase.Done
                    ? throw new ControlException("the formation has stopped", ControlError.Conflict)
                    : action());
            }
            catch (ControlException e)
            {
                result.TrySetException(e);
            }
        }));
        if (!posted)
        {
            result.TrySetException(new ControlException("the formation has stopped", ControlError.Conflict));
        }
        return result.Task;
    }
}
