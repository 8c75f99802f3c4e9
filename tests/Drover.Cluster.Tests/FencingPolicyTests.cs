using Drover.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Drover.Cluster.Tests;

/// <summary>
/// Fencing policies against a real etcd that loses quorum (two of three members killed, then started again):
/// keep types run on untouched; fenced types stop while quorum is lost and run again afterwards, never twice.
/// </summary>
/// <remarks>
/// Without quorum no lease can expire (only a leader expires leases, and a new one extends them all), so what must
/// hold here is that the fenced processes stop during the outage and no slot ever runs twice. How soon they stop
/// (about TTL − margin) is measured, not asserted: on a loaded 2-core machine the stop once came 5.2 s after the
/// kill with a 5 s TTL. bench/cluster-partition.sh measures it under real partitions, where leases do expire.
/// </remarks>
[Collection("etcd")]
public sealed class FencingPolicyTests(ITestOutputHelper output)
{
    private static readonly string[] ThreeNodes = ["n1", "n2", "n3"];

    [Fact]
    public async Task Keep_is_the_default_and_an_etcd_without_quorum_stops_nothing()
    {
        await using var h = await ClusterHarness.StartAsync();
        foreach (string node in ThreeNodes)
        {
            h.StartAgent(node);
        }
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=3")).Code);
        var before = await h.Probe.WaitAsync(r => r.Count == 3 && r.Values.Distinct().Count() == 3, "three slots on three agents");
        var runs = await h.LoggedRunsAsync(before);
        Assert.Equal("web=keep worker=keep", (await h.ClusterAsync("fence")).Stdout.Trim());

        h.Etcd.Kill(1);
        h.Etcd.Kill(2);
        // Longer than two lease TTLs without quorum: a fenced type would have been stopped long before.
        await Task.Delay(TimeSpan.FromSeconds(2 * ClusterHarness.LeaseTtl + 2));
        // (Runs stopped before the outage are the placement settling at first.)
        var live = runs.Where(r => !r.Stopped).ToList();
        Assert.Equal(runs.Count, h.Log.Runs().Count);
        Assert.Equal(runs.Count(r => r.Stopped), h.Log.Runs().Count(r => r.Stopped));
        Assert.All(live, r => Assert.True(Directory.Exists($"/proc/{r.Pid}"), $"{r.Slot} still runs"));

        h.Etcd.Restart(1);
        h.Etcd.Restart(2);
        var after = await h.Probe.WaitAsync(r => r.Count == 3, "three slots reported running after quorum returned");
        Assert.Equal(before.OrderBy(kv => kv.Key), after.OrderBy(kv => kv.Key));
        Assert.Equal(runs.Count, h.Log.Runs().Count);
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=4")).Code);
        await h.Probe.WaitAsync(r => r.Count == 4, "web.4 started after quorum returned");
        Assert.Empty(h.Log.Overlaps());
    }

    [Fact]
    public async Task A_fenced_type_stops_without_quorum_and_runs_again_once_it_returns_while_keep_types_run_on()
    {
        await using var h = await ClusterHarness.StartAsync();
        foreach (string node in ThreeNodes)
        {
            h.StartAgent(node);
        }
        await h.Probe.WaitAsync(r => r.ContainsKey("web.1"), "the agents joined");
        var fence = await h.ClusterAsync("fence", "web=fenced");
        Assert.True(fence.Code == 0, fence.Stderr);
        Assert.Equal("web=fenced worker=keep", fence.Stdout.Trim());
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=2", "worker=2")).Code);
        var before = await h.Probe.WaitAsync(r => r.Count == 4, "four slots running");
        var runs = await h.LoggedRunsAsync(before);
        var ps = await h.ClusterAsync("ps");
        Assert.Contains("fenced", ps.Stdout);

        double killedAt = SlotLog.Uptime();
        h.Etcd.Kill(1);
        h.Etcd.Kill(2);
        var liveWeb = runs.Where(r => !r.Stopped && r.Slot.StartsWith("web.", StringComparison.Ordinal)).Select(r => r.Pid).ToList();
        await Eventually.HoldsAsync(() => h.Log.Runs().Count(r => liveWeb.Contains(r.Pid) && r.Stopped) == 2,
            TimeSpan.FromSeconds(60), () => "both web processes stopped (fenced)\n" + h.AgentOutput());
        var webRuns = h.Log.Runs().Where(r => liveWeb.Contains(r.Pid)).ToList();
        output.WriteLine(string.Join(", ", webRuns.Select(r => $"{r.Slot} stopped {r.End - killedAt:0.00} s after quorum was lost (TTL {ClusterHarness.LeaseTtl} s)")));
        var workers = runs.Where(r => !r.Stopped && r.Slot.StartsWith("worker.", StringComparison.Ordinal)).ToList();
        Assert.All(workers, r => Assert.True(Directory.Exists($"/proc/{r.Pid}"), $"{r.Slot} runs on"));

        h.Etcd.Restart(1);
        h.Etcd.Restart(2);
        await h.Probe.WaitAsync(r => r.Count == 4, "web running again after quorum returned");
        Assert.All(workers, r => Assert.True(Directory.Exists($"/proc/{r.Pid}"), $"{r.Slot} was never restarted"));
        Assert.Empty(h.Log.Overlaps());
        Assert.Contains("fencing", h.AgentOutput());
    }
}
