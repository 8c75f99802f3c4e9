using Drover.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Drover.Cluster.Tests;

[Collection("etcd")]
public sealed class ScalingTests(ITestOutputHelper output)
{
    private static readonly string[] ThreeNodes = ["n1", "n2", "n3"];

    [Fact]
    public async Task A_type_that_only_one_node_has_runs_there_and_each_type_is_spread_over_the_nodes()
    {
        await using var h = await ClusterHarness.StartAsync();
        string extra = Path.Combine(h.Root, "Procfile.extra");
        File.WriteAllText(extra, File.ReadAllText(Path.Combine(h.Root, "Procfile")) + h.Log.ProcfileLine("extra") + "\n");
        h.StartAgent("n1");
        h.StartAgent("n2");
        h.StartAgent("n3", procfile: extra);
        await Eventually.HoldsAsync(() => h.Probe.ReadAsync().GetAwaiter().GetResult().Nodes.Count == 3,
            TimeSpan.FromSeconds(60), () => "three agents registered\n" + h.AgentOutput());

        var scale = await h.ClusterAsync("scale", "web=6", "worker=3", "extra=2");
        Assert.True(scale.Code == 0, scale.Stderr);
        var running = await h.Probe.WaitAsync(r => r.Count == 11, "eleven slots running");
        Assert.Equal(["n3", "n3"], running.Where(kv => kv.Key.StartsWith("extra.", StringComparison.Ordinal)).Select(kv => kv.Value));
        // Each type spread evenly over the nodes that have it (n3 runs both extra on top).
        var perNode = running.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.Select(kv => kv.Key.Split('.')[0]).ToList());
        Assert.All(["n1", "n2", "n3"], n => Assert.Equal(1, perNode[n].Count(t => t == "worker")));
        Assert.All(["n1", "n2", "n3"], n => Assert.Equal(2, perNode[n].Count(t => t == "web")));

        // Beyond what the nodes that have the type can hold, ps says why.
        await h.ClusterAsync("scale", "extra=40");
        await Eventually.HoldsAsync(() => h.ClusterAsync("ps").GetAwaiter().GetResult().Stdout.Contains("no room"),
            TimeSpan.FromSeconds(30), () => "ps says why extra slots are unassigned");
    }

    [Fact]
    public async Task Scaling_up_spreads_slots_evenly_over_the_agents_and_scaling_down_stops_the_surplus()
    {
        await using var h = await ClusterHarness.StartAsync();
        foreach (string node in ThreeNodes)
        {
            h.StartAgent(node);
        }
        await h.Probe.WaitAsync(r => r.ContainsKey("web.1"), "web.1 running from the initial formation");
        await Eventually.HoldsAsync(() => h.Probe.ReadAsync().GetAwaiter().GetResult().Nodes.Count == 3,
            TimeSpan.FromSeconds(60), () => "three agents registered\n" + h.AgentOutput());

        var scale = await h.ClusterAsync("scale", "web=6", "worker=3");
        Assert.True(scale.Code == 0, scale.Stderr);
        // Evenly spread: three on each agent (transient claims may differ, the settled placement may not).
        var running = await h.Probe.WaitAsync(
            r => r.Count == 9 && r.Values.Distinct().Count() == 3 && r.GroupBy(kv => kv.Value).All(g => g.Count() == 3),
            "nine slots running, three on each agent");

        // The processes themselves ran where the cluster says, with PORT by slot number as `drover start` gives it.
        var ps = await h.ClusterAsync("ps");
        Assert.Equal(0, ps.Code);
        output.WriteLine(ps.Stdout);
        for (int k = 1; k <= 6; k++)
        {
            string row = ps.Stdout.Split('\n').Single(l => l.StartsWith($"web.{k} ", StringComparison.Ordinal));
            Assert.Contains(running[$"web.{k}"], row);
            Assert.Contains("running", row);
            Assert.Contains((5000 + k - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), row);
        }
        await Eventually.HoldsAsync(
            () => running.All(kv => h.Log.Runs().Any(r => r.Slot == kv.Key && r.Node == kv.Value)),
            TimeSpan.FromSeconds(30), () => "each slot's process wrote from its node");

        var nodes = await h.ClusterAsync("nodes");
        Assert.Equal(0, nodes.Code);
        Assert.All(ThreeNodes, n => Assert.Contains(n, nodes.Stdout));

        Assert.Equal(0, (await h.ClusterAsync("scale", "web=2", "worker=0")).Code);
        await h.Probe.WaitAsync(r => r.Count == 2 && r.ContainsKey("web.1") && r.ContainsKey("web.2"), "only web.1 and web.2 left");
        await Eventually.HoldsAsync(
            () => h.Log.Runs().Where(r => r.Slot is not ("web.1" or "web.2")).All(r => r.Stopped),
            TimeSpan.FromSeconds(30), () => "the scaled-down processes were stopped with SIGTERM");
        Assert.Empty(h.Log.Overlaps());
    }

    [Fact]
    public async Task A_joining_agent_takes_its_share_and_only_the_surplus_moves()
    {
        await using var h = await ClusterHarness.StartAsync();
        h.StartAgent("n1");
        h.StartAgent("n2");
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=4")).Code);
        var settled = await h.Probe.WaitAsync(r => r.Count == 4 && r.Values.Count(n => n == "n1") == 2, "four slots settled on two agents");
        var before = (await h.LoggedRunsAsync(settled)).Count;

        h.StartAgent("n3");
        var after = await h.Probe.WaitAsync(r => r.Count == 4 && r.Values.Distinct().Count() == 3, "the new agent runs a slot");
        // Exactly one slot moved: one new process (on n3), none restarted elsewhere.
        await Eventually.HoldsAsync(() => h.Log.Runs().Count == before + 1, TimeSpan.FromSeconds(30), () => "one new run");
        Assert.Single(after, kv => kv.Value == "n3");
        Assert.Empty(h.Log.Overlaps());
    }
}
