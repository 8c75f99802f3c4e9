using Drover.Cluster.Agent;
using Drover.Cluster.State;
using Drover.Cluster.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Cluster.Tests;

/// <summary>An agent claims the free slots it is due in one transaction per batch, not one per slot.</summary>
public sealed class ClaimBatchTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(1));

    [Theory]
    [InlineData(10, 1)]
    [InlineData(130, 3)]
    public async Task Free_slots_are_claimed_in_batches_of_64(int slots, int transactions)
    {
        var ttl = TimeSpan.FromSeconds(10);
        var store = new MemoryStore(_time, ttl);
        var running = new MemorySlots(_time);
        var options = new AgentOptions(new ClusterKeys("t"), "n1", 200, ttl, TimeSpan.FromSeconds(4),
            new DesiredState(new Dictionary<string, int> { ["web"] = slots }, "r"), ["web"]);
        var log = new List<string>();
        var agent = new ClusterAgent(store, running, options, l =>
        {
            lock (log)
            {
                log.Add(l);
            }
        }, _time);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => agent.RunAsync(stop.Token));
        for (int i = 0; i < 1200 && running.Running().Count < slots; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }
        Assert.Equal(slots, running.Running().Count);
        Assert.Equal(transactions, store.ClaimTransactions);
        stop.Cancel();
        for (int i = 0; i < 400 && !run.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }
        await run;
    }
}
