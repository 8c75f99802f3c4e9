using System.Text.Json;
using Drover.Cluster.State;
using Drover.Cluster.Store;

namespace Drover.Cluster.Agent;

/// <summary>
/// One machine's agent: joins the cluster under a lease, claims its share of the slots and runs them, and keeps
/// the lease alive. If it cannot renew the lease in time it fences itself (stops every process) before the lease
/// can expire, then rejoins with a new lease. Split by concern: this file (sessions), KeepAlive, Reconcile.
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
    /// <see cref="ClusterUnavailableException"/> when the very first join fails (a wrong address is better
    /// reported than retried); later rejoins are retried until they succeed.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        bool reported = false;
        bool joinedOnce = false;
        while (!stop.IsCancellationRequested)
        {
            (long Lease, long GrantSentAt) joined;
            try
            {
                joined = await JoinAsync(stop).ConfigureAwait(false);
                reported = false;
                joinedOnce = true;
            }
            catch (ClusterUnavailableException e) when (joinedOnce)
            {
                if (!reported)
                {
                    log($"cannot join the cluster: {e.Message}; retrying");
                    reported = true;
                }
                await Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            bool fenced = await RunSessionAsync(joined.Lease, joined.GrantSentAt, stop).ConfigureAwait(false);
            if (!fenced)
            {
                break;
            }
            slots.Unfence();
        }
        await slots.FenceAsync().ConfigureAwait(false);
        log("left the cluster");
    }

    /// <summary>Grants a lease and registers this node; waits while a previous agent of the same name is still live.</summary>
    private async Task<(long Lease, long GrantSentAt)> JoinAsync(CancellationToken stop)
    {
        long sentAt = time.GetTimestamp();
        long lease = await store.GrantLeaseAsync(options.LeaseTtl, stop).ConfigureAwait(false);
        try
        {
            await store.CreateAsync(options.Keys.Desired, JsonSerializer.Serialize(options.InitialDesired, ClusterJson.Default.DesiredState), 0, stop)
                .ConfigureAwait(false);
            bool waited = false;
            while (!await store.CreateAsync(options.Keys.Node(options.Node), NodeJson(lease, []), lease, stop).ConfigureAwait(false))
            {
                if (!waited)
                {
                    log($"node name {options.Node} is held by a live agent (or a lease not yet expired); waiting");
                    waited = true;
                }
                // Keep the new lease alive meanwhile; registration is retried each second.
                await store.KeepAliveOnceAsync(lease, stop).ConfigureAwait(false);
                sentAt = time.GetTimestamp();
                await Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
        }
        catch
        {
            _ = RevokeQuietly(lease);
            throw;
        }
        log($"joined the cluster as {options.Node} (lease {lease:x}, TTL {options.LeaseTtl.TotalSeconds:0.###} s, capacity {options.Capacity})");
        return (lease, sentAt);
    }

    /// <summary>One membership under one lease; true when it ended by fencing (so the agent should rejoin).</summary>
    private async Task<bool> RunSessionAsync(long lease, long grantSentAt, CancellationToken stop)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var wake = System.Threading.Channels.Channel.CreateBounded<bool>(
            new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
        var watch = store.WatchPrefixAsync(options.Keys.Prefix, () => wake.Writer.TryWrite(true), session.Token);
        var reconcile = ReconcileLoopAsync(lease, wake.Reader, session.Token);
        bool fenced = await KeepAliveLoopAsync(lease, grantSentAt, session.Token).ConfigureAwait(false);
        if (fenced)
        {
            // Processes first: the lease may expire soon, and then others start these slots.
            await slots.FenceAsync().ConfigureAwait(false);
        }
        await session.CancelAsync().ConfigureAwait(false);
        await Quietly(watch).ConfigureAwait(false);
        await Quietly(reconcile).ConfigureAwait(false);
        if (!fenced)
        {
            // Leaving on request: stop the processes, then give the slots up at once rather than at lease expiry.
            await slots.FenceAsync().ConfigureAwait(false);
        }
        await RevokeQuietly(lease).ConfigureAwait(false);
        return fenced;
    }

    private async Task RevokeQuietly(long lease)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await store.RevokeLeaseAsync(lease, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClusterUnavailableException or OperationCanceledException)
        {
            // It expires on its own.
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ClusterUnavailableException)
        {
            // Ended by the session's cancellation.
        }
    }

    private Task Delay(TimeSpan delay, CancellationToken cancel) => Task.Delay(delay, time, cancel);
}
