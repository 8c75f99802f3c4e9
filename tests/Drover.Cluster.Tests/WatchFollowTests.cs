using System.Text.Json;
using Drover.Cluster.Agent;
using Drover.Cluster.State;
using Drover.Cluster.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Cluster.Tests;

/// <summary>
/// Agents follow changes by watch revision: three agents on the in-memory store, scaled up and down several times,
/// read the app's whole prefix once each (at the start of their session), not once per change; after a compaction
/// while their watches were broken, once more each.
/// </summary>
public sealed class WatchFollowTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(1));
    private readonly ClusterKeys _keys = new("t");
    private int _ownReads;

    [Fact]
    public async Task Scaling_costs_no_full_read_and_a_compaction_one_per_agent()
    {
        var store = new MemoryStore(_time, Ttl);
        var log = new List<string>();
        var agents = Enumerable.Range(1, 3).Select(n =>
        {
            var slots = new MemorySlots(_time);
            var options = new AgentOptions(_keys, $"n{n}", 100, Ttl, TimeSpan.FromSeconds(4),
                new DesiredState(new Dictionary<string, int> { ["web"] = 3 }, "r"), ["web"])
            {
                // Neither the safety resync nor the fallback read after a slow watch may hide a read per change.
                ResyncInterval = TimeSpan.FromHours(1),
                CatchUp = TimeSpan.FromHours(1),
            };
            var agent = new ClusterAgent(store, slots, options, l =>
            {
                lock (log)
                {
                    log.Add($"n{n}: {l}");
                }
            }, _time);
            return (Slots: slots, Agent: agent);
        }).ToList();
        using var stop = new CancellationTokenSource();
        var runs = agents.Select(a => Task.Run(() => a.Agent.RunAsync(stop.Token))).ToList();
        await UntilAsync(() => agents.All(a => a.Slots.Running().Count == 1), "one slot on each agent", log);
        int readsAtStart = store.PrefixReads - _ownReads;
        Assert.Equal(3, readsAtStart);

        foreach (int count in new[] { 30, 12, 45, 6 })
        {
            await ScaleAsync(store, count);
            await UntilAsync(() => Total(agents) == count && agents.All(a => a.Slots.Running().Count == count / 3), $"{count} slots, {count / 3} per agent", log);
        }
        Assert.Equal(readsAtStart, store.PrefixReads - _ownReads);

        // Every watch broken, changes made meanwhile, then compacted away: each agent reads the prefix once more.
        store.WatchDown = true;
        store.BreakWatches();
        await ScaleAsync(store, 9);
        store.Compact();
        store.WatchDown = false;
        await UntilAsync(() => Total(agents) == 9 && agents.All(a => a.Slots.Running().Count == 3), "9 slots, 3 per agent", log);
        Assert.Equal(readsAtStart + 3, store.PrefixReads - _ownReads);

        stop.Cancel();
        await UntilAsync(() => runs.All(r => r.IsCompleted), "the agents stopped", log);
    }

    private static int Total(List<(MemorySlots Slots, ClusterAgent Agent)> agents) => agents.Sum(a => a.Slots.Running().Count);

    private async Task ScaleAsync(MemoryStore store, int count)
    {
        _ownReads++;
        var view = ClusterView.Parse(_keys, await store.GetPrefixAsync(_keys.Prefix, CancellationToken.None));
        var desired = view.Desired! with { Counts = new Dictionary<string, int> { ["web"] = count } };
        Assert.True(await store.ReplaceAsync(_keys.Desired, JsonSerializer.Serialize(desired, ClusterJson.Default.DesiredState),
            view.DesiredModRevision, CancellationToken.None));
    }

    private async Task UntilAsync(Func<bool> condition, string what, List<string> log)
    {
        for (int i = 0; i < 1200; i++)
        {
            if (condition())
            {
                return;
            }
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }
        lock (log)
        {
            Assert.Fail($"not within 60 fake seconds: {what}\n{string.Join("\n", log.TakeLast(30))}");
        }
    }
}
