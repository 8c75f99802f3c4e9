using Drover.Core.Formation;
using Drover.Core.Supervision;

namespace Drover.Core.Control;

/// <summary>Replacing one instance in a rolling restart, and waiting for the replacement to be ready.</summary>
public sealed partial class FormationController
{
    private async Task ReplaceAsync(InstanceName name, InstanceFactory factory)
    {
        var before = (await _supervisor.SnapshotAsync().ConfigureAwait(false)).Single(s => s.Name == name.ToString());
        // Only a process that was ready (its readiness probe passed; without one, accepting connections on its
        // PORT) is required to be ready again.
        bool wasReady = before.State == InstanceState.Running && (before.HasReadinessCheck
            ? before.Ready
            : await _probe.IsReadyAsync(before, CancellationToken.None).ConfigureAwait(false));
        await _supervisor.StopInstanceAsync(name).ConfigureAwait(false);
        var replacement = factory.Create(name.Type, name.Index);
        var started = await _supervisor.StartInstanceAsync(name, replacement).ConfigureAwait(false);
        bool probed = replacement.HasReadinessCheck;
        if (wasReady && !await WaitUntilReadyAsync(name, before.Pid, probed).ConfigureAwait(false))
        {
            string what = probed ? "pass its readiness probe" : started.Port is int port ? $"accept connections on port {port}" : "become ready";
            throw new ControlException(
                $"{name} did not {what} within {ReadinessTimeout.TotalSeconds:0} s; the restart stopped there",
                ControlError.Conflict);
        }
    }

    /// <summary>
    /// True once <paramref name="name"/>'s new process (not <paramref name="oldPid"/>) runs (told by the formation's
    /// changes, not by asking again) and is ready: by its type's readiness probe when <paramref name="probed"/>,
    /// else by <see cref="IReadinessProbe"/>; false when the readiness timeout (on the controller's clock) comes first.
    /// </summary>
    private async Task<bool> WaitUntilReadyAsync(InstanceName name, int? oldPid, bool probed)
    {
        string key = name.ToString();
        using var deadline = new CancellationTokenSource(ReadinessTimeout, _time);
        try
        {
            var now = await View.WaitForAsync(
                all => all.Any(s => s.Name == key && s.State == InstanceState.Running && s.Pid != oldPid && (!probed || s.Ready)),
                deadline.Token).ConfigureAwait(false);
            if (!probed)
            {
                await _probe.WhenReadyAsync(now.Single(s => s.Name == key), deadline.Token).ConfigureAwait(false);
            }
            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
    }
}
