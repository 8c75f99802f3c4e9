using Drover.Core.Formation;
using Drover.Core.Supervision;

namespace Drover.Core.Control;

/// <summary>Replacing one instance in a rolling restart, and waiting for the replacement to be ready.</summary>
public sealed partial class FormationController
{
    private async Task ReplaceAsync(InstanceName name, InstanceFactory factory)
    {
        var before = (await _supervisor.SnapshotAsync().ConfigureAwait(false)).Single(s => s.Name == name.ToString());
        // Only a process that was ready (e.g. accepting connections) is required to be ready again.
        bool wasReady = before.State == InstanceState.Running && await _probe.IsReadyAsync(before, CancellationToken.None).ConfigureAwait(false);
        await _supervisor.StopInstanceAsync(name).ConfigureAwait(false);
        var started = await _supervisor.StartInstanceAsync(name, factory.Create(name.Type, name.Index)).ConfigureAwait(false);
        if (wasReady && !await WaitUntilReadyAsync(name).ConfigureAwait(false))
        {
            string what = started.Port is int port ? $"accept connections on port {port}" : "become ready";
            throw new ControlException(
                $"{name} did not {what} within {ReadinessTimeout.TotalSeconds:0} s; the restart stopped there",
                ControlError.Conflict);
        }
    }

    /// <summary>
    /// True once <paramref name="name"/> runs (told by the formation's changes, not by asking again) and its probe
    /// says it is ready; false when the readiness timeout (on the controller's clock) comes first.
    /// </summary>
    private async Task<bool> WaitUntilReadyAsync(InstanceName name)
    {
        string key = name.ToString();
        using var deadline = new CancellationTokenSource(ReadinessTimeout, _time);
        try
        {
            var now = await View.WaitForAsync(all => all.Any(s => s.Name == key && s.State == InstanceState.Running), deadline.Token).ConfigureAwait(false);
            await _probe.WhenReadyAsync(now.Single(s => s.Name == key), deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
    }
}
