using Drover.Cluster.Agent;
using Drover.Core.Formation;
using Drover.Core.Supervision;

namespace Drover.Cluster.Tests.Fakes;

/// <summary>An <see cref="ISlotRunner"/> that only records: which slots run, and when the fence stopped which.</summary>
internal sealed class MemorySlots(TimeProvider time) : ISlotRunner
{
    private readonly Lock _lock = new();
    private readonly HashSet<InstanceName> _running = [];
    private Func<string, bool> _fenced = _ => false;

    /// <summary>(fake time, slot) for every slot the fence stopped.</summary>
    public List<(DateTimeOffset At, InstanceName Slot)> FenceStops { get; } = [];

    public IReadOnlyList<string> Running()
    {
        lock (_lock)
        {
            return _running.Select(s => s.ToString()).Order(StringComparer.Ordinal).ToList();
        }
    }

    public bool CanRun(string type) => true;

    public Task<IReadOnlyList<InstanceSnapshot>> SnapshotAsync()
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<InstanceSnapshot>>(_running
                .Select(s => new InstanceSnapshot(s.ToString(), s.Type, s.Index, InstanceState.Running, 1, null, 0, null, null, "fake"))
                .ToList());
        }
    }

    public Task StartAsync(InstanceName slot)
    {
        lock (_lock)
        {
            if (!_fenced(slot.Type))
            {
                _running.Add(slot);
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(InstanceName slot)
    {
        lock (_lock)
        {
            _running.Remove(slot);
        }
        return Task.CompletedTask;
    }

    public Task RestartAsync(InstanceName slot) => Task.CompletedTask;

    public Task FenceAsync(Func<string, bool> fenced)
    {
        lock (_lock)
        {
            var before = _fenced;
            _fenced = t => before(t) || fenced(t);
            foreach (var s in _running.Where(s => fenced(s.Type)).ToList())
            {
                _running.Remove(s);
                FenceStops.Add((time.GetUtcNow(), s));
            }
        }
        return Task.CompletedTask;
    }

    public void Unfence()
    {
        lock (_lock)
        {
            _fenced = _ => false;
        }
    }
}
