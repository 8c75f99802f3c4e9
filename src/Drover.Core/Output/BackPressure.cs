namespace Drover.Core.Output;

/// <summary>
/// Counts the bytes queued for the writer and tells producers when to pause (above <see cref="OutputHub.HighWater"/>)
/// and when to resume (below half of it). Producers add, the writer subtracts.
/// </summary>
internal sealed class BackPressure
{
    private const long LowWater = OutputHub.HighWater / 2;

    private readonly object _gate = new();
    private long _queued;
    // Guarded by _gate.
    private TaskCompletionSource? _waiter;

    /// <summary>True while producers may keep going.</summary>
    public bool HasRoom => Volatile.Read(ref _queued) < OutputHub.HighWater;

    /// <summary>A producer queued <paramref name="bytes"/>.</summary>
    public void Added(int bytes) => Interlocked.Add(ref _queued, bytes);

    /// <summary>The writer took <paramref name="bytes"/> off the queue; releases a waiter once below the low-water mark.</summary>
    public void Removed(int bytes)
    {
        long left = Interlocked.Add(ref _queued, -bytes);
        if (left < LowWater && Volatile.Read(ref _waiter) is not null)
        {
            ReleaseWaiter();
        }
    }

    /// <summary>Completes when queued output has drained below the low-water mark.</summary>
    public Task WhenHasRoom()
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _queued) < LowWater)
            {
                return Task.CompletedTask;
            }
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiter = _waiter;
            // The writer may have drained everything between our check and publishing the waiter, and then seen
            // no waiter to release: check again now that it is visible.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _queued) < LowWater)
            {
                _waiter = null;
                waiter.TrySetResult();
            }
            return waiter.Task;
        }
    }

    /// <summary>Lets a waiting producer go (also when the writer stops, so nobody waits for ever).</summary>
    public void ReleaseWaiter()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
    }
}
