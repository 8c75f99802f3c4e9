using Drover.Cluster.Store;

namespace Drover.Cluster.Agent;

/// <summary>Lease renewal and the fence deadline.</summary>
public sealed partial class ClusterAgent
{
    /// <summary>
    /// Renews the lease every <see cref="AgentOptions.KeepAliveInterval"/>. The fence deadline is the moment the
    /// last successful renewal was <em>sent</em> plus the granted TTL minus the margin: etcd received that renewal
    /// no earlier than it was sent, so the lease cannot expire before sent + TTL. Returns true when the deadline
    /// passed (or etcd said the lease is gone), false when the session was cancelled.
    /// </summary>
    private async Task<bool> KeepAliveLoopAsync(long lease, long lastSentAt, CancellationToken cancel)
    {
        var ttl = options.LeaseTtl;
        bool failing = false;
        while (!cancel.IsCancellationRequested)
        {
            var untilFence = ttl - options.FenceMargin - time.GetElapsedTime(lastSentAt);
            if (untilFence <= TimeSpan.Zero)
            {
                log($"lease not renewed for {time.GetElapsedTime(lastSentAt).TotalSeconds:0.0} s: stopping every process before it can expire (fencing)");
                return true;
            }
            long sentAt = time.GetTimestamp();
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                attempt.CancelAfter(untilFence);
                try
                {
                    var granted = await store.KeepAliveOnceAsync(lease, attempt.Token).ConfigureAwait(false);
                    if (granted <= TimeSpan.Zero)
                    {
                        log("the lease has expired: stopping every process (fencing)");
                        return true;
                    }
                    lastSentAt = sentAt;
                    ttl = granted;
                    if (failing)
                    {
                        log("lease renewed again");
                        failing = false;
                    }
                }
                catch (Exception e) when (e is ClusterUnavailableException or OperationCanceledException)
                {
                    if (cancel.IsCancellationRequested)
                    {
                        return false;
                    }
                    if (!failing)
                    {
                        log($"cannot renew the lease: {e.Message}");
                        failing = true;
                    }
                }
            }
            var wait = options.KeepAliveInterval - time.GetElapsedTime(sentAt);
            var left = ttl - options.FenceMargin - time.GetElapsedTime(lastSentAt);
            wait = wait < left ? wait : left;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Delay(wait, cancel).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }
        return false;
    }
}
