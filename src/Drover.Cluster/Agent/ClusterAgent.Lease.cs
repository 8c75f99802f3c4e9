using Drover.Cluster.Store;

namespace Drover.Cluster.Agent;

/// <summary>Renewing the lease, and finding out after a fence whether it is still alive.</summary>
public sealed partial class ClusterAgent
{
    /// <summary>
    /// Renews the lease every <see cref="AgentOptions.KeepAliveInterval"/> and feeds the fence clock. Once the
    /// fence has fired it stops renewing (a renewal that arrives but whose answer is lost would keep the lease, and
    /// the fenced slots with it, from ever moving) and only asks how long the lease has left: alive, it renews once
    /// and resumes; gone, the session ends. Returns true when the lease is gone, false when cancelled.
    /// </summary>
    private async Task<bool> LeaseLoopAsync(long lease, CancellationToken cancel)
    {
        string? failing = null;
        while (!cancel.IsCancellationRequested)
        {
            long sentAt = time.GetTimestamp();
            try
            {
                if (!Fenced)
                {
                    var limit = UntilFence();
                    limit = limit < options.CallTimeout ? limit : options.CallTimeout;
                    var granted = await Io(c => store.KeepAliveOnceAsync(lease, c), cancel,
                        limit > TimeSpan.FromMilliseconds(100) ? limit : TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
                    if (granted <= TimeSpan.Zero)
                    {
                        return true;
                    }
                    Confirmed(sentAt, granted);
                }
                else
                {
                    var left = await Io(c => store.LeaseRemainingAsync(lease, c), cancel).ConfigureAwait(false);
                    if (left <= TimeSpan.Zero)
                    {
                        return true;
                    }
                    sentAt = time.GetTimestamp();
                    var granted = await Io(c => store.KeepAliveOnceAsync(lease, c), cancel).ConfigureAwait(false);
                    if (granted <= TimeSpan.Zero)
                    {
                        return true;
                    }
                    await ResumeAsync(sentAt, granted).ConfigureAwait(false);
                }
                if (failing is not null)
                {
                    log("etcd answers again");
                    failing = null;
                }
            }
            catch (Exception e) when (e is ClusterUnavailableException or OperationCanceledException)
            {
                if (cancel.IsCancellationRequested)
                {
                    return false;
                }
                if (failing != e.Message)
                {
                    log($"cannot renew the lease: {e.Message}");
                    failing = e.Message;
                }
            }
            var wait = options.KeepAliveInterval - time.GetElapsedTime(sentAt);
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
