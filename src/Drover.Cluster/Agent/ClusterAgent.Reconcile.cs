using System.Text.Json;
using System.Threading.Channels;
using Drover.Cluster.State;
using Drover.Cluster.Store;
using Drover.Core.Formation;
using Drover.Core.Supervision;

namespace Drover.Cluster.Agent;

/// <summary>Bringing the local processes in line with the cluster: claim, release, start, stop, restart.</summary>
public sealed partial class ClusterAgent
{
    // Owned by the reconcile loop.
    private readonly Dictionary<InstanceName, long> _appliedRestarts = [];
    private string? _lastPublished;
    private string? _lastError;
    private System.Threading.Channels.ChannelWriter<bool>? _wake;
    private PrefixFollower? _follower;

    // The policies as last read; null until the first read, and then every type counts as fenced (the safe side).
    private volatile DesiredState? _policies;

    /// <summary>Which types the fence stops.</summary>
    private Func<string, bool> FencedTypes()
    {
        var policies = _policies;
        return policies is null ? _ => true : policies.IsFenced;
    }

    private async Task ReconcileLoopAsync(long lease, ChannelReader<bool> wake, CancellationToken cancel)
    {
        _lastPublished = null;
        _appliedRestarts.Clear();
        bool pass = true;
        bool fresh = false;
        long lastRead = time.GetTimestamp();
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                if (Fenced)
                {
                    // While fenced nothing changes here: the claims may be stale, and the processes that run, run on.
                }
                else if (pass)
                {
                    if (fresh)
                    {
                        lastRead = time.GetTimestamp();
                    }
                    await ReconcileOnceAsync(lease, fresh, cancel).ConfigureAwait(false);
                }
                else
                {
                    // A tick without a change in etcd: only local changes (a crash, a restart) are published.
                    await PublishAsync(lease, cancel).ConfigureAwait(false);
                }
                _lastError = null;
            }
            catch (ClusterUnavailableException e)
            {
                if (_lastError != e.Message)
                {
                    log($"cluster state not readable: {e.Message}");
                    _lastError = e.Message;
                }
            }
            catch (ControlException e)
            {
                log($"local processes: {e.Message}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Never let one bad pass end reconciliation: the next pass starts from a fresh read.
                log($"reconcile failed: {e.GetType().Name}: {e.Message}");
                _lastError = e.Message;
            }
            // Wait for a change in the cluster (the watch), or the local tick, whichever comes first. A change is
            // acted on from the watch-fed copy; the prefix is read again only after a failed pass, and every
            // ResyncInterval as a safety net.
            bool failed = _lastError is not null;
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            tick.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                await wake.WaitToReadAsync(tick.Token).ConfigureAwait(false);
                wake.TryRead(out _);
                pass = true;
                fresh = failed;
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                fresh = failed || time.GetElapsedTime(lastRead) >= options.ResyncInterval;
                pass = fresh;
            }
        }
    }

    private async Task ReconcileOnceAsync(long lease, bool fresh, CancellationToken cancel)
    {
        // Never acted on before it holds this agent's own writes (a claim it just made would look like a stray).
        var snapshot = _follower is { } follower
            ? await follower.SnapshotAsync(store.LastWriteRevision, fresh, options.CatchUp, cancel).ConfigureAwait(false)
            : await Io(c => store.GetPrefixAsync(options.Keys.Prefix, c), cancel).ConfigureAwait(false);
        var view = ClusterView.Parse(options.Keys, snapshot);
        if (view.Desired is not null)
        {
            _policies = view.Desired;
        }
        var mine = view.Claims.Where(c => c.Value.Lease == lease).Select(c => c.Key).ToHashSet();
        var local = await slots.SnapshotAsync().ConfigureAwait(false);
        var running = local.Select(s => new InstanceName(s.Type, s.Index)).ToHashSet();

        // A local process whose claim is not ours (any more) must not run, with one exception: a keep slot that
        // ran on through a lost lease and that nobody claimed meanwhile is claimed again and runs on, untouched.
        var stray = running.Where(s => !mine.Contains(s)).ToList();
        string claimJson = JsonSerializer.Serialize(new SlotClaim(options.Node), ClusterJson.Default.SlotClaim);
        foreach (var s in stray.ToList())
        {
            if (view.Desired?.IsFenced(s.Type) == false && view.IsDesired(s) && view.Nodes.ContainsKey(options.Node)
                && !view.Claims.ContainsKey(s)
                && await Io(c => store.CreateAsync(options.Keys.Slot(s), claimJson, lease, c), cancel).ConfigureAwait(false))
            {
                log($"{s} ran on while the lease was lost; nobody took it meanwhile, so it is claimed again and keeps running");
                mine.Add(s);
                stray.Remove(s);
            }
            else if (view.Claims.TryGetValue(s, out var other) && other.Lease != lease)
            {
                log($"{s} also runs on {other.Claim.Node}, which claimed it while this node was cut off: stopping it here (the newest claim wins)");
            }
        }
        await Task.WhenAll(stray.Select(slots.StopAsync)).ConfigureAwait(false);
        running.ExceptWith(stray);

        var step = Placement.Decide(options.Node, lease, view, slots.CanRun);
        var release = step.Release.Concat(mine.Where(s => !slots.CanRun(s.Type))).Distinct().ToList();
        await Task.WhenAll(release.Select(async s =>
        {
            // Stopped before the claim goes, so the next owner never overlaps with this one.
            await slots.StopAsync(s).ConfigureAwait(false);
            await Io(c => store.DeleteIfLeaseAsync(options.Keys.Slot(s), lease, c), cancel).ConfigureAwait(false);
            log($"released {s}");
        })).ConfigureAwait(false);
        mine.ExceptWith(release);
        running.ExceptWith(release);

        await ClaimAsync(step.Claim, claimJson, lease, mine, cancel).ConfigureAwait(false);

        foreach (var s in mine.Where(s => !running.Contains(s)).OrderBy(s => s.Type, StringComparer.Ordinal).ThenBy(s => s.Index))
        {
            // A pass that outlived its session (its lease may be gone) starts nothing.
            cancel.ThrowIfCancellationRequested();
            _appliedRestarts[s] = view.RestartGeneration(s);
            await slots.StartAsync(s).ConfigureAwait(false);
        }
        foreach (var s in mine.Where(running.Contains))
        {
            long wanted = view.RestartGeneration(s);
            if (wanted > _appliedRestarts.GetValueOrDefault(s))
            {
                log($"restarting {s} (cluster restart)");
                await slots.RestartAsync(s).ConfigureAwait(false);
                _appliedRestarts[s] = wanted;
            }
        }
        foreach (var gone in _appliedRestarts.Keys.Where(s => !mine.Contains(s)).ToList())
        {
            _appliedRestarts.Remove(gone);
        }
        await PublishAsync(lease, cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims <paramref name="wanted"/>: in batches of up to 64 slots, one transaction each, when several are free (a
    /// scale to many slots is claimed in a few round trips instead of one per slot); a batch of which another
    /// agent took any slot meanwhile creates nothing and is claimed again slot by slot.
    /// </summary>
    private async Task ClaimAsync(IReadOnlyList<InstanceName> wanted, string claimJson, long lease, HashSet<InstanceName> mine, CancellationToken cancel)
    {
        foreach (var batch in wanted.Chunk(64))
        {
            if (batch.Length > 1
                && await Io(c => store.CreateAllAsync(batch.Select(options.Keys.Slot).ToList(), claimJson, lease, c), cancel).ConfigureAwait(false))
            {
                log($"claimed {string.Join(", ", batch.Select(s => s.ToString()))}");
                mine.UnionWith(batch);
                continue;
            }
            foreach (var s in batch)
            {
                if (await Io(c => store.CreateAsync(options.Keys.Slot(s), claimJson, lease, c), cancel).ConfigureAwait(false))
                {
                    log($"claimed {s}");
                    mine.Add(s);
                }
            }
        }
    }

    /// <summary>Writes this node's record when its slots changed (the lease keep-alive is the heartbeat).</summary>
    private async Task PublishAsync(long lease, CancellationToken cancel)
    {
        var local = await slots.SnapshotAsync().ConfigureAwait(false);
        // Whether each running process accepts connections on its PORT: what a rolling restart waits for.
        var listening = await Task.WhenAll(local.Select(s => s.State == InstanceState.Running && s.Port is int port
            ? PortProbe.IsListeningAsync(port)
            : Task.FromResult(false))).ConfigureAwait(false);
        var statuses = local
            .Select((s, i) => new SlotStatus(s.Name, s.State.ToString().ToLowerInvariant(), s.Pid, s.Restarts, s.Port,
                _appliedRestarts.GetValueOrDefault(new InstanceName(s.Type, s.Index)), listening[i]))
            .ToList();
        string content = string.Join(";", statuses.Select(s => s.ToString()));
        if (content == _lastPublished)
        {
            return;
        }
        string record = NodeJson(lease, statuses);
        await Io(c => store.PutAsync(options.Keys.Node(options.Node), record, lease, c), cancel).ConfigureAwait(false);
        _lastPublished = content;
    }

    private string NodeJson(long lease, IReadOnlyList<SlotStatus> statuses) => JsonSerializer.Serialize(
        new NodeRecord(options.Node, options.Capacity, lease, time.GetUtcNow().ToUnixTimeMilliseconds(),
            options.InitialDesired.Revision, options.Types, statuses,
            (long)options.LeaseTtl.TotalMilliseconds, (long)options.FenceMargin.TotalMilliseconds),
        ClusterJson.Default.NodeRecord);
}
