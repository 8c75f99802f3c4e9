using System.Diagnostics;
using Drover.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Drover.Cluster.Tests;

[Collection("etcd")]
public sealed class FailureTests(ITestOutputHelper output)
{
    private static readonly string[] ThreeNodes = ["n1", "n2", "n3"];

    [Fact]
    public async Task The_slots_of_a_killed_agent_run_on_the_others_and_never_on_two_nodes_at_once()
    {
        await using var h = await ClusterHarness.StartAsync();
        var agents = ThreeNodes.Select(n => h.StartAgent(n)).ToList();
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=6")).Code);
        var running = await h.Probe.WaitAsync(r => r.Count == 6 && r.Values.Distinct().Count() == 3 && r.GroupBy(kv => kv.Value).All(g => g.Count() == 2), "two slots on each agent");

        var victim = agents[0];
        var lost = running.Where(kv => kv.Value == victim.Node).Select(kv => kv.Key).ToList();
        var clock = Stopwatch.StartNew();
        victim.Kill();
        await h.Probe.WaitAsync(r => r.Count == 6 && !r.ContainsValue(victim.Node), "every slot running on the survivors");
        output.WriteLine($"failover of {lost.Count} slots after kill -9: {clock.Elapsed.TotalSeconds:0.00} s (lease TTL {ClusterHarness.LeaseTtl} s)");

        // The dead agent's processes died with it (orphan guard), before their slots started elsewhere.
        var victimRuns = h.Log.Runs().Where(r => r.Node == victim.Node).ToList();
        await Eventually.HoldsAsync(() => victimRuns.All(r => !Directory.Exists($"/proc/{r.Pid}")), TimeSpan.FromSeconds(30),
            () => "the killed agent's processes are gone");
        Assert.Empty(h.Log.Overlaps());
    }

    [Fact]
    public async Task Losing_one_etcd_member_of_three_changes_nothing()
    {
        await using var h = await ClusterHarness.StartAsync();
        foreach (string node in ThreeNodes)
        {
            h.StartAgent(node);
        }
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=3")).Code);
        var before = await h.Probe.WaitAsync(r => r.Count == 3 && r.Values.Distinct().Count() == 3, "three slots on three agents");
        int runs = (await h.LoggedRunsAsync(before)).Count;

        // A follower: the promise is that it changes nothing. (A leader's loss adds an election; when that takes
        // longer than the fence allows, as on a loaded machine, agents rightly fence: they cannot tell it from a
        // partition.)
        int leader = await h.Etcd.LeaderAsync();
        int victim = (leader + 1) % 3;
        output.WriteLine($"killing etcd member {victim} (the leader is {leader})");
        h.Etcd.Kill(victim);
        // Longer than two lease TTLs: any lease that was not renewed would have expired and its slots moved.
        await Task.Delay(TimeSpan.FromSeconds(2 * ClusterHarness.LeaseTtl + 2));
        var after = await h.Probe.WaitAsync(r => r.Count == 3, "three slots still running");
        Assert.True(before.OrderBy(kv => kv.Key).SequenceEqual(after.OrderBy(kv => kv.Key)), h.AgentOutput());
        Assert.Equal(runs, h.Log.Runs().Count);
        Assert.True(!h.AgentOutput().Contains("fencing", StringComparison.Ordinal), h.AgentOutput());

        // And the cluster still takes changes.
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=4")).Code);
        try
        {
            await h.Probe.WaitAsync(r => r.Count == 4, "web.4 started with one member down");
        }
        finally
        {
            output.WriteLine(h.AgentOutput());
        }
    }

    [Fact]
    public async Task An_agent_whose_first_join_gets_no_answer_retries_until_etcd_can_serve()
    {
        await using var h = await ClusterHarness.StartAsync();
        // One member of three left: it accepts connections but has no quorum, so it cannot grant a lease.
        h.Etcd.Kill(1);
        h.Etcd.Kill(2);
        var n1 = h.StartAgent("n1", endpoints: h.Etcd.ClientUrls[0]);
        await Eventually.HoldsAsync(() => n1.Output.Contains("cannot join the cluster", StringComparison.Ordinal) || n1.HasExited,
            TimeSpan.FromSeconds(60), () => n1.Output);
        Assert.False(n1.HasExited, n1.Output);
        Assert.Contains("retrying", n1.Output, StringComparison.Ordinal);

        h.Etcd.Restart(1);
        h.Etcd.Restart(2);
        await h.Probe.WaitAsync(r => r.Count == 1 && r.GetValueOrDefault("web.1") == "n1", "web.1 running on n1 once etcd has a quorum again",
            TimeSpan.FromSeconds(90));
        Assert.Contains("joined the cluster as n1", n1.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_comes_back_rejoins_and_takes_its_share_again()
    {
        await using var h = await ClusterHarness.StartAsync();
        var n1 = h.StartAgent("n1");
        h.StartAgent("n2");
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=4")).Code);
        await h.Probe.WaitAsync(r => r.Count == 4 && r.Values.Distinct().Count() == 2, "four slots on two agents");

        n1.Kill();
        await h.Probe.WaitAsync(r => r.Count == 4 && r.Values.All(n => n == "n2"), "all slots on n2");
        h.StartAgent("n1");
        await h.Probe.WaitAsync(r => r.Count == 4 && r.Values.Count(n => n == "n1") == 2, "n1 back with half the slots");
        Assert.Empty(h.Log.Overlaps());
    }

    [Fact]
    public async Task An_agent_stopped_with_SIGTERM_stops_its_processes_and_gives_its_slots_up_at_once()
    {
        await using var h = await ClusterHarness.StartAsync();
        var n1 = h.StartAgent("n1");
        h.StartAgent("n2");
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=2")).Code);
        await h.Probe.WaitAsync(r => r.Count == 2 && r.Values.Distinct().Count() == 2, "two slots on two agents");

        Assert.Equal(0, await n1.TerminateAsync());
        Assert.Contains("left the cluster", n1.Output);
        await h.Probe.WaitAsync(r => r.Count == 2 && r.Values.All(n => n == "n2"), "both slots on n2");
        Assert.All(h.Log.Runs().Where(r => r.Node == "n1"), r => Assert.True(r.Stopped));
        Assert.Empty(h.Log.Overlaps());
    }
}
