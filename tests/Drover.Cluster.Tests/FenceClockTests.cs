using Drover.Cluster.Agent;
using Drover.Cluster.State;
using Drover.Cluster.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Cluster.Tests;

/// <summary>
/// The fence clock against a store whose calls hang for ever and ignore cancellation, on a fake clock: the
/// slots of the fenced type must be stopped by <c>last renewal + TTL − margin</c>, strictly before the lease could
/// expire; those of the keep type run on, and are claimed again (not restarted) after the lease was lost.
/// </summary>
public sealed class FenceClockTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(1));
    private readonly List<string> _log = [];

    [Fact]
    public async Task A_store_whose_calls_hang_and_ignore_cancellation_cannot_delay_the_fence()
    {
        var (store, slots, run, stop) = Start();
        await AdvanceUntilAsync(() => slots.Running().Count == 2, "web.1 and worker.1 running");
        await AdvanceAsync(TimeSpan.FromSeconds(3));

        store.Hang = true;
        var lastRenewal = store.LastRenewal;
        await AdvanceUntilAsync(() => slots.FenceStops.Count > 0, "the fence fired");

        var (at, slot) = slots.FenceStops.Single();
        Assert.Equal("web.1", slot.ToString());
        Assert.True(at <= lastRenewal + Ttl - Margin + Step, $"fenced at +{(at - lastRenewal).TotalSeconds} s after the last renewal");
        Assert.True(at < lastRenewal + Ttl, "fenced before the lease could expire");
        // worker's policy is keep: it runs on through the outage.
        Assert.Equal(["worker.1"], slots.Running());
        await AdvanceAsync(Ttl);
        Assert.Equal(["worker.1"], slots.Running());
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task A_join_slower_than_the_fence_window_does_not_fence_a_healthy_node()
    {
        // Grant, desired and node writes take 2 s each: 6 s, the whole TTL − margin, before the session starts
        // (as a cold agent on a CPU-starved machine). The lease is fine, so nothing may be fenced.
        var (store, slots, run, stop) = Start(TimeSpan.FromSeconds(2));
        await AdvanceUntilAsync(() => slots.Running().Count == 2, "web.1 and worker.1 running");
        await AdvanceAsync(Ttl);
        Assert.Empty(slots.FenceStops);
        Assert.DoesNotContain(_log, l => l.Contains("fencing", StringComparison.Ordinal));
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task Once_the_lease_is_confirmed_alive_again_the_fenced_slots_run_again_under_the_same_lease()
    {
        var (store, slots, run, stop) = Start();
        await AdvanceUntilAsync(() => slots.Running().Contains("web.1"), "web.1 running");
        store.Hang = true;
        await AdvanceUntilAsync(() => slots.FenceStops.Count > 0, "the fence fired");
        // The calls made meanwhile are stuck for good; new ones get answers again.
        store.Hang = false;
        await AdvanceUntilAsync(() => slots.Running().Contains("web.1"), "web.1 running again");
        Assert.Equal(1, store.Granted);
        Assert.Contains(_log, l => l.Contains("lease confirmed again"));
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task A_lease_that_expired_meanwhile_means_rejoining_with_a_new_one()
    {
        var (store, slots, run, stop) = Start();
        await AdvanceUntilAsync(() => slots.Running().Contains("web.1"), "web.1 running");
        store.Hang = true;
        await AdvanceUntilAsync(() => slots.FenceStops.Count > 0, "the fence fired");
        store.Expire(100);
        store.Hang = false;
        await AdvanceUntilAsync(() => store.Granted == 2 && slots.Running().Contains("web.1"), "web.1 running under a new lease");
        Assert.Contains(_log, l => l.Contains("worker.1 ran on while the lease was lost"));
        Assert.Equal(["web.1", "worker.1"], slots.Running());
        await StopAsync(stop, run);
    }

    private (MemoryStore Store, MemorySlots Slots, Task Run, CancellationTokenSource Stop) Start(TimeSpan latency = default)
    {
        var store = new MemoryStore(_time, Ttl) { Latency = latency };
        var slots = new MemorySlots(_time);
        var options = new AgentOptions(new ClusterKeys("t"), "n1", 4, Ttl, Margin,
            new DesiredState(new Dictionary<string, int> { ["web"] = 1, ["worker"] = 1 }, "r", ["web"]), ["web", "worker"]);
        var agent = new ClusterAgent(store, slots, options, l =>
        {
            lock (_log)
            {
                _log.Add(l);
            }
        }, _time);
        var stop = new CancellationTokenSource();
        return (store, slots, Task.Run(() => agent.RunAsync(stop.Token)), stop);
    }

    private async Task StopAsync(CancellationTokenSource stop, Task run)
    {
        stop.Cancel();
        for (int i = 0; i < 400 && !run.IsCompleted; i++)
        {
            _time.Advance(Step);
            await Task.Delay(5);
        }
        Assert.True(run.IsCompleted, "the agent stopped");
        await run;
    }

    /// <summary>Moves the fake clock in small steps, giving the agent's continuations real time to run between them.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, string what)
    {
        var limit = _time.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(_time.GetUtcNow() < limit, $"not within 60 fake seconds: {what}\n{string.Join("\n", _log)}");
            _time.Advance(Step);
            await Task.Delay(5);
        }
    }

    private async Task AdvanceAsync(TimeSpan span)
    {
        for (var t = TimeSpan.Zero; t < span; t += Step)
        {
            _time.Advance(Step);
            await Task.Delay(5);
        }
    }
}
