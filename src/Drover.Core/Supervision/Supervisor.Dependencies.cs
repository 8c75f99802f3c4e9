using Drover.Core.Probes;
using Drover.Core.Settings;
using Drover.Core.Supervision.Events;

namespace Drover.Core.Supervision;

/// <summary>
/// <c>depends_on</c>: an instance whose dependencies are not met waits (<see cref="InstanceState.Waiting"/>) and
/// starts the moment they are, looked at again after every event of the loop. Only a first start (or a start by
/// hand) waits; a restart after a crash does not.
/// </summary>
public sealed partial class Supervisor
{
    /// <summary>Starts <paramref name="instance"/>, or makes it wait for what it depends on.</summary>
    private void StartOrWait(Instance instance)
    {
        var (unmet, blocked) = Unmet(instance);
        if (unmet.Count == 0)
        {
            Start(instance);
            return;
        }
        var from = instance.State;
        instance.Waits(unmet);
        SetBlocked(instance, blocked);
        Changed(instance, from, ChangeReason.Waiting);
    }

    /// <summary>Starts each waiting instance whose dependencies are now met; publishes what the others now wait for.</summary>
    private void ReleaseWaiting()
    {
        if (ShuttingDown)
        {
            return;
        }
        for (int k = 0; k < _instances.Count; k++)
        {
            var instance = _instances[k];
            if (instance.State != InstanceState.Waiting)
            {
                continue;
            }
            var (unmet, blocked) = Unmet(instance);
            if (unmet.Count == 0)
            {
                Start(instance);
            }
            else if (!unmet.SequenceEqual(instance.WaitingFor) || blocked != instance.Blocked)
            {
                instance.WaitingFor = unmet;
                SetBlocked(instance, blocked);
                Changed(instance, InstanceState.Waiting, ChangeReason.Waiting);
            }
        }
    }

    private static void SetBlocked(Instance instance, string? blocked)
    {
        instance.Blocked = blocked;
        if (blocked is not null)
        {
            instance.Note = $"cannot start: {blocked}";
        }
    }

    /// <summary>The types whose condition is not met, in <c>depends_on</c> order, and why one never will be.</summary>
    private (List<string> Unmet, string? Blocked) Unmet(Instance instance)
    {
        var unmet = new List<string>();
        string? blocked = null;
        foreach (var dependency in instance.Settings.DependsOn)
        {
            var ofType = _instances.Where(i => i.Name.Type == dependency.Type).ToList();
            var (verdict, why) = DependencyGate.Check(dependency, ofType);
            if (verdict == GateVerdict.Met)
            {
                continue;
            }
            if (!unmet.Contains(dependency.Type))
            {
                unmet.Add(dependency.Type);
            }
            blocked ??= why;
        }
        return (unmet, blocked);
    }

    /// <summary>
    /// A type that others wait for to complete (a migration) is a one-shot: once it exits 0 it is not started
    /// again, whatever the restart policy, so its dependents are not left behind a process that came back.
    /// </summary>
    private bool IsOneShot(Instance instance) => _instances.Any(i => i.Settings.DependsOn.Any(d =>
        d.Type == instance.Name.Type && d.Condition is DependencyCondition.Completed or DependencyCondition.CompletedSuccessfully));

    /// <summary>Whether any instance of the formation depends on <paramref name="instance"/>'s type and is still alive.</summary>
    private bool NeededByLiveDependent(Instance instance) => _instances.Any(d =>
        d != instance
        && d.Settings.DependsOn.Any(dep => dep.Type == instance.Name.Type)
        && (d.State is InstanceState.Running or InstanceState.Stopping || d.HasLiveGroups));
}
