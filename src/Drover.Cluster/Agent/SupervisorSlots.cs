using Drover.Core.Formation;
using Drover.Core.Supervision;
using Drover.Core.Supervision.Events;

namespace Drover.Cluster.Agent;

/// <summary>
/// <see cref="ISlotRunner"/> on the same <see cref="Supervisor"/> as <c>drover start</c>: crash restarts, output,
/// shutdown. Slots are created by the <see cref="InstanceFactory"/>, so PORT follows the slot number. The slots'
/// states come from the supervisor's typed changes (<see cref="FormationView"/>); each operation returns once the
/// view shows its effect.
/// </summary>
public sealed class SupervisorSlots(Supervisor supervisor, InstanceFactory factory) : ISlotRunner, IDisposable
{
    private readonly FormationView _view = FormationView.Follow(supervisor);

    // Held while a start is decided and posted, and while fencing flips the flag: no start can slip in after
    // the fence has taken its list of slots to stop.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Func<string, bool> _fenced = _ => false;

    /// <inheritdoc />
    public bool CanRun(string type) => factory.Procfile.IndexOf(type) >= 0;

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceSnapshot>> SnapshotAsync() => _view.CurrentAsync();

    /// <inheritdoc />
    public IDisposable OnLocalChange(Action changed) => _view.Watch(c =>
    {
        if (c is InstanceChanged { Reason: ChangeReason.Exited or ChangeReason.Started or ChangeReason.StartFailed })
        {
            changed();
        }
    });

    /// <inheritdoc />
    public async Task StartAsync(InstanceName slot)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_fenced(slot.Type))
            {
                await supervisor.StartInstanceAsync(slot, factory.Create(slot.Type, slot.Index)).ConfigureAwait(false);
                await _view.CaughtUpAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(InstanceName slot)
    {
        var all = await _view.CurrentAsync().ConfigureAwait(false);
        if (!all.Any(s => s.Name == slot.ToString()))
        {
            return;
        }
        await supervisor.StopInstanceAsync(slot).ConfigureAwait(false);
        try
        {
            await supervisor.RemoveInstanceAsync(slot).ConfigureAwait(false);
        }
        catch (ControlException e) when (e.Kind == ControlError.NotFound)
        {
            // Removed by a concurrent stop.
        }
        await _view.CaughtUpAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RestartAsync(InstanceName slot)
    {
        await supervisor.StopInstanceAsync(slot).ConfigureAwait(false);
        await StartAsync(slot).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task FenceAsync(Func<string, bool> fenced)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var before = _fenced;
            _fenced = t => before(t) || fenced(t);
        }
        finally
        {
            _gate.Release();
        }
        var all = await _view.CurrentAsync().ConfigureAwait(false);
        await Task.WhenAll(all.Where(s => fenced(s.Type)).Select(s => StopQuietly(new InstanceName(s.Type, s.Index)))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Unfence() => _fenced = _ => false;

    /// <inheritdoc />
    public void Dispose()
    {
        _view.Dispose();
        _gate.Dispose();
    }

    private async Task StopQuietly(InstanceName slot)
    {
        try
        {
            await StopAsync(slot).ConfigureAwait(false);
        }
        catch (ControlException)
        {
            // The supervisor is shutting down: it stops everything itself.
        }
    }
}
