namespace Drover.Cluster.Agent;

/// <summary>
/// The fence clock: a timer of its own, driven by the <see cref="TimeProvider"/> alone, that stops the slots of
/// fenced types at <c>last confirmed renewal sent + TTL − margin</c>. It never awaits etcd, so no hung call, dead
/// connection or ignored cancellation can hold it up.
/// </summary>
public sealed partial class ClusterAgent
{
    private readonly Lock _fenceLock = new();
    private long _confirmedSentAt;
    private TimeSpan _confirmedTtl;
    private bool _fenced;
    private Task _fencing = Task.CompletedTask;
    private TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True from the moment the fence fired until the lease is confirmed again.</summary>
    private bool Fenced
    {
        get
        {
            lock (_fenceLock)
            {
                return _fenced;
            }
        }
    }

    private void StartFenceClock(long sentAt, TimeSpan ttl)
    {
        lock (_fenceLock)
        {
            _confirmedSentAt = sentAt;
            _confirmedTtl = ttl;
            _fenced = false;
            _fencing = Task.CompletedTask;
            _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>
    /// A renewal sent at <paramref name="sentAt"/> was granted <paramref name="ttl"/>: etcd received it no earlier
    /// than it was sent, so the lease cannot expire before <c>sentAt + ttl</c>.
    /// </summary>
    private void Confirmed(long sentAt, TimeSpan ttl)
    {
        lock (_fenceLock)
        {
            if (sentAt > _confirmedSentAt)
            {
                _confirmedSentAt = sentAt;
                _confirmedTtl = ttl;
            }
        }
    }

    /// <summary>How long until the fence fires (zero or less: it is due).</summary>
    private TimeSpan UntilFence()
    {
        lock (_fenceLock)
        {
            return _confirmedTtl - options.FenceMargin - time.GetElapsedTime(_confirmedSentAt);
        }
    }

    private async Task FenceClockAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            var left = UntilFence();
            if (left > TimeSpan.Zero)
            {
                await Delay(left, cancel).ConfigureAwait(false);
                continue;
            }
            Task resumed;
            lock (_fenceLock)
            {
                resumed = _resumed.Task;
            }
            await FenceNowAsync($"lease not confirmed for {time.GetElapsedTime(_confirmedSentAt).TotalSeconds:0.0} s").ConfigureAwait(false);
            await resumed.WaitAsync(cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Stops every slot of a fenced type (once per outage); completes when they are gone.</summary>
    private Task FenceNowAsync(string why)
    {
        lock (_fenceLock)
        {
            if (!_fenced)
            {
                _fenced = true;
                var fencedTypes = FencedTypes();
                log($"{why}: stopping the processes of fenced types before the lease can expire (fencing); those of keep types run on");
                _fencing = slots.FenceAsync(fencedTypes);
            }
            return _fencing;
        }
    }

    /// <summary>The lease is confirmed again (it never expired): fenced slots may run again under the same claims.</summary>
    private async Task ResumeAsync(long sentAt, TimeSpan ttl)
    {
        Task fencing;
        lock (_fenceLock)
        {
            fencing = _fencing;
        }
        await fencing.ConfigureAwait(false);
        lock (_fenceLock)
        {
            _confirmedSentAt = sentAt;
            _confirmedTtl = ttl;
            _fenced = false;
            slots.Unfence();
            _resumed.TrySetResult();
            _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        log("lease confirmed again: it never expired, so the fenced slots start again here");
        _wake?.TryWrite(true);
    }
}
