using System.Text.Json;
using Drover.Cluster.State;
using Drover.Cluster.Store;

namespace Drover.Cluster.Agent;

/// <summary>
/// One machine's agent: joins the cluster under a lease, claims its share of the slots and runs them, and keeps
/// the lease alive. A fence timer that no etcd call can hold up stops the slots of <c>fenced</c> types before the
/// lease can expire when it could not be renewed in time; slots of <c>keep</c> types run on. Once the lease is
/// confirmed again the agent carries on; once it is known to be gone the agent rejoins with a new lease.
/// Split by concern: this file (sessions and etcd calls), Fence, Lease, Reconcile.
/// </summary>
public sealed partial class ClusterAgent(
    IClusterStore store,
    ISlotRunner slots,
    AgentOptions options,
    Action<string> log,
    TimeProvider time)
{
    /// <summary>
    /// Runs until <paramref name="stop"/> fires; then stops every slot and revokes the lease. Throws
    /// <see cref="ClusterUnavailableException"/> when the very first join finds no etcd endpoint accepting
    /// connections (a wrong address is better reported than retried). A first join that etcd cannot serve (no
    /// answer in time, no quorum yet) and every later rejoin are retried with backoff until they succeed.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        bool reported = false;
        bool joinedOnce = false;
        var backoff = JoinRetryFirst;
        while (!stop.IsCancellationRequested)
        {
            (long Lease, long GrantSentAt) joined;
            try
            {
                joined = await JoinAsync(stop).ConfigureAwait(false);
                reported = false;
                joinedOnce = true;
                backoff = JoinRetryFirst;
            }
            catch (ClusterUnavailableException e)
            {
                if (!joinedOnce && !await Reachable(stop).ConfigureAwait(false))
                {
                    throw;
                }
                if (!reported)
                {
                    log($"cannot join the cluster: {e.Message}; retrying");
                    reported = true;
                }
                try
                {
                    await Delay(backoff, stop).ConfigureAwait(false);
                    backoff = backoff * 2 < JoinRetryLast ? backoff * 2 : JoinRetryLast;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            bool lost = await RunSessionAsync(joined.Lease, joined.GrantSentAt, stop).ConfigureAwait(false);
            if (!lost)
            {
                break;
            }
        }
        await slots.FenceAsync(_ => true).ConfigureAwait(false);
        log("left the cluster");
    }

    private static readonly TimeSpan JoinRetryFirst = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan JoinRetryLast = TimeSpan.FromSeconds(16);

    /// <summary>Grants a lease and registers this node; waits while a previous agent of the same name is still live.</summary>
    private async Task<(long Lease, long GrantSentAt)> JoinAsync(CancellationToken stop)
    {
        long sentAt = time.GetTimestamp();
        long lease = await Io(c => store.GrantLeaseAsync(options.LeaseTtl, c), stop).ConfigureAwait(false);
        try
        {
            string desired = JsonSerializer.Serialize(options.InitialDesired, ClusterJson.Default.DesiredState);
            await Io(c => store.CreateAsync(options.Keys.Desired, desired, 0, c), stop).ConfigureAwait(false);
            bool waited = false;
            while (!await Io(c => store.CreateAsync(options.Keys.Node(options.Node), NodeJson(lease, []), lease, c), stop).ConfigureAwait(false))
            {
                if (!waited)
                {
                    log($"node name {options.Node} is held by a live agent (or a lease not yet expired); waiting");
                    waited = true;
                }
                // Keep the new lease alive meanwhile; registration is retried each second.
                long renewSent = time.GetTimestamp();
                if (await Io(c => store.KeepAliveOnceAsync(lease, c), stop).ConfigureAwait(false) > TimeSpan.Zero)
                {
                    sentAt = renewSent;
                }
                await Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
            sentAt = await ConfirmAfterJoinAsync(lease, sentAt, stop).ConfigureAwait(false);
        }
        catch
        {
            _ = RevokeQuietly(lease);
            throw;
        }
        log($"joined the cluster as {options.Node} (lease {lease:x}, TTL {options.LeaseTtl.TotalSeconds:0.###} s, capacity {options.Capacity})");
        return (lease, sentAt);
    }

    /// <summary>
    /// Renews the new lease once more after registering: the fence clock starts from the last renewal known to have
    /// been granted, and on a loaded machine (a cold start, CPU starved) the grant and the two writes, or the first
    /// keep-alive stream of the process, can take longer than TTL − margin, which fenced a healthy node at once.
    /// Tries again (at most twice) while a renewal itself took half that long.
    /// </summary>
    private async Task<long> ConfirmAfterJoinAsync(long lease, long sentAt, CancellationToken stop)
    {
        var fenceAfter = options.LeaseTtl - options.FenceMargin;
        for (int attempt = 0; attempt < 3 && (attempt == 0 || time.GetElapsedTime(sentAt) >= fenceAfter / 2); attempt++)
        {
            long renewSent = time.GetTimestamp();
            if (await Io(c => store.KeepAliveOnceAsync(lease, c), stop).ConfigureAwait(false) <= TimeSpan.Zero)
            {
                throw new ClusterUnavailableException("the new lease expired while joining (etcd or this machine too slow)");
            }
            sentAt = renewSent;
        }
        return sentAt;
    }

    /// <summary>One membership under one lease; true when it ended because the lease is gone (so the agent rejoins).</summary>
    private async Task<bool> RunSessionAsync(long lease, long grantSentAt, CancellationToken stop)
    {
        StartFenceClock(grantSentAt, options.LeaseTtl);
        slots.Unfence();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var wake = System.Threading.Channels.Channel.CreateBounded<bool>(
            new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
        _wake = wake.Writer;
        _follower = new PrefixFollower(store, options.Keys.Prefix, c => Io(x => store.GetPrefixAsync(options.Keys.Prefix, x), c),
            () => wake.Writer.TryWrite(true), time);
        var watch = _follower.RunAsync(session.Token);
        // A local crash or restart is published at once rather than at the next tick.
        using var local = slots.OnLocalChange(() => wake.Writer.TryWrite(true));
        var fenceClock = FenceClockAsync(session.Token);
        var reconcile = ReconcileLoopAsync(lease, wake.Reader, session.Token);
        bool lost = await LeaseLoopAsync(lease, session.Token).ConfigureAwait(false);
        if (lost)
        {
            // Whatever the fence clock says: the lease is gone, so others may claim its slots now.
            await FenceNowAsync("the lease has expired").ConfigureAwait(false);
        }
        await session.CancelAsync().ConfigureAwait(false);
        // Neither waits for etcd: every call they make is abandoned when the session ends.
        await Quietly(reconcile).ConfigureAwait(false);
        await Quietly(fenceClock).ConfigureAwait(false);
        await Quietly(watch.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None)).ConfigureAwait(false);
        if (!lost)
        {
            // Leaving on request: stop the processes, then give the slots up at once rather than at lease expiry.
            await slots.FenceAsync(_ => true).ConfigureAwait(false);
            await RevokeQuietly(lease).ConfigureAwait(false);
        }
        return lost;
    }

    /// <summary>Whether any etcd endpoint accepts connections at all (false: most likely a wrong address).</summary>
    private async Task<bool> Reachable(CancellationToken stop)
    {
        try
        {
            return await store.AnyEndpointAcceptsAsync(stop).WaitAsync(options.CallTimeout, time, stop).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private async Task RevokeQuietly(long lease)
    {
        try
        {
            await Io(c => store.RevokeLeaseAsync(lease, c), CancellationToken.None, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClusterUnavailableException or OperationCanceledException)
        {
            // It expires on its own.
        }
    }

    /// <summary>
    /// One etcd call that the agent waits for at most <paramref name="limit"/> (default: the call timeout), even
    /// if the call itself ignores its token: a call stuck on a dead connection can delay nothing.
    /// </summary>
    private async Task<T> Io<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancel, TimeSpan? limit = null)
    {
        var wait = limit ?? options.CallTimeout;
        using var deadline = new CancellationTokenSource(wait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        try
        {
            return await call(linked.Token).WaitAsync(wait, time, cancel).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new ClusterUnavailableException($"no answer from etcd within {wait.TotalSeconds:0.###} s", e);
        }
        catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new ClusterUnavailableException($"no answer from etcd within {wait.TotalSeconds:0.###} s", e);
        }
    }

    private Task<bool> Io(Func<CancellationToken, Task> call, CancellationToken cancel, TimeSpan? limit = null) =>
        Io(async c =>
        {
            await call(c).ConfigureAwait(false);
            return true;
        }, cancel, limit);

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ClusterUnavailableException or TimeoutException)
        {
            // Ended by the session's cancellation, or abandoned.
        }
    }

    private Task Delay(TimeSpan delay, CancellationToken cancel) => Task.Delay(delay, time, cancel);
}
