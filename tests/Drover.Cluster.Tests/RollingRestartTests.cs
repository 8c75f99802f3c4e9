using Drover.Cluster.Tests.Support;

namespace Drover.Cluster.Tests;

[Collection("etcd")]
public sealed class RollingRestartTests
{
    private static readonly string[] ThreeNodes = ["n1", "n2", "n3"];

    [Fact]
    public async Task Cluster_restart_replaces_each_slot_on_its_node_one_at_a_time()
    {
        await using var h = await ClusterHarness.StartAsync();
        foreach (string node in ThreeNodes)
        {
            h.StartAgent(node);
        }
        Assert.Equal(0, (await h.ClusterAsync("scale", "web=3", "worker=1")).Code);
        // The settled placement: one web per node, the worker on one of them.
        var placed = await h.Probe.WaitAsync(
            r => r.Count == 4 && r.Where(kv => kv.Key.StartsWith("web.", StringComparison.Ordinal)).Select(kv => kv.Value).Distinct().Count() == 3,
            "four slots settled on three agents");

        // The processes running now (placement may have moved some at first: only the current ones count).
        var before = await h.LoggedRunsAsync(placed);
        var current = placed.Keys.ToDictionary(s => s, s => before.Where(r => r.Slot == s).MaxBy(r => r.Start)!);

        var restart = await h.ClusterAsync("restart", "web");
        Assert.True(restart.Code == 0, restart.Stderr + h.AgentOutput());

        var runs = h.Log.Runs().Where(r => !before.Any(b => b.Pid == r.Pid && b.Slot == r.Slot)).ToList();
        var fresh = Enumerable.Range(1, 3).Select(k => runs.Single(r => r.Slot == $"web.{k}")).ToList();
        for (int k = 1; k <= 3; k++)
        {
            var old = h.Log.Runs().Single(r => r.Pid == current[$"web.{k}"].Pid && r.Slot == $"web.{k}");
            Assert.True(old.Stopped, $"web.{k}'s old process got SIGTERM");
            Assert.Equal(old.Node, fresh[k - 1].Node);
            Assert.True(fresh[k - 1].Start >= old.End, $"web.{k}: the new process started after the old one stopped");
        }
        // One at a time: each slot went down only after the previous one was running again.
        for (int k = 1; k < 3; k++)
        {
            var nextOld = h.Log.Runs().Single(r => r.Pid == current[$"web.{k + 1}"].Pid && r.Slot == $"web.{k + 1}");
            Assert.True(nextOld.End >= fresh[k - 1].Start, $"web.{k + 1} stopped before web.{k} was back");
        }
        Assert.DoesNotContain(runs, r => r.Slot == "worker.1");
        // The extra process of the roll (web.4) ran while the others were restarted, and is gone again.
        Assert.Contains(runs, r => r.Slot == "web.4");
        Assert.Equal(placed, await h.Probe.WaitAsync(r => r.Count == 4, "all running"));
    }

    [Fact]
    public async Task Restarting_a_single_web_never_leaves_a_moment_without_a_ready_web()
    {
        await using var h = await ClusterHarness.StartAsync();
        string procfile = Path.Combine(h.Root, "Procfile.listening");
        File.WriteAllText(procfile, h.Log.ListeningLine("web", 1) + "\n");
        // A base port of our own: the machine's other tests use 5000 and up, and a foreign listener would look ready.
        int port = FreePorts.TakePair();
        h.StartAgent("n1", formation: "web=1", procfile: procfile, port: port);
        h.StartAgent("n2", formation: "web=1", procfile: procfile, port: port);
        await Eventually.HoldsAsync(() => h.Probe.ReadAsync().GetAwaiter().GetResult().Nodes.Count == 2,
            TimeSpan.FromSeconds(60), () => "two agents registered\n" + h.AgentOutput());
        var running = await h.Probe.WaitAsync(r => r.ContainsKey("web.1"), "web.1 running");
        // Its agent reports it accepting connections on its PORT: so the roll must wait for the same of the new ones.
        await Eventually.HoldsAsync(() => h.Probe.ReadAsync().GetAwaiter().GetResult().Nodes.Values
            .SelectMany(n => n.Slots).Any(s => s.Name == "web.1" && s.Listening), TimeSpan.FromSeconds(30), () => "web.1 listening");
        var before = await h.LoggedRunsAsync(running);
        var old = before.Single(r => r.Slot == "web.1" && !r.Stopped);

        var restart = await h.ClusterAsync("restart", "web");
        Assert.True(restart.Code == 0, restart.Stderr + h.AgentOutput());
        await h.Probe.WaitAsync(r => r.Count == 1 && r.ContainsKey("web.1"), "only web.1 again");
        await Eventually.HoldsAsync(() => h.Log.Runs().Count(r => r.Slot == "web.2" && r.Stopped) == 1, TimeSpan.FromSeconds(30), () => "web.2 stopped");

        old = h.Log.Runs().Single(r => r.Pid == old.Pid && r.Slot == "web.1");
        var runs = h.Log.Runs().Where(r => r.Start >= old.Start).OrderBy(r => r.Start).ToList();
        var ready = h.Log.Events("ready");
        var surge = runs.Single(r => r.Slot == "web.2");
        var fresh = runs.Single(r => r.Slot == "web.1" && r.Pid != old.Pid);
        double ReadyAt(SlotLog.Run r) => ready.Single(e => e.Pid == r.Pid && e.Slot == r.Slot).At;
        // The extra web was ready before the old one got SIGTERM; the new web.1 was ready before the extra one did.
        Assert.True(ReadyAt(surge) < old.End, $"web.2 ready at {ReadyAt(surge)}, old web.1 stopped at {old.End}");
        Assert.True(ReadyAt(fresh) < surge.End, $"new web.1 ready at {ReadyAt(fresh)}, web.2 stopped at {surge.End}");
        // And at every moment some web process ran.
        double reach = old.End;
        foreach (var r in runs.Where(r => r != old))
        {
            Assert.True(r.Start <= reach, $"no web ran between {reach} and {r.Start}");
            reach = Math.Max(reach, r.End);
        }
    }

    [Fact]
    public async Task Cluster_restart_of_an_unknown_target_is_a_usage_error()
    {
        await using var h = await ClusterHarness.StartAsync();
        h.StartAgent("n1");
        await h.Probe.WaitAsync(r => r.ContainsKey("web.1"), "web.1 running");
        var restart = await h.ClusterAsync("restart", "nosuch");
        Assert.Equal(2, restart.Code);
        Assert.Contains("no slot matches", restart.Stderr);
    }
}
