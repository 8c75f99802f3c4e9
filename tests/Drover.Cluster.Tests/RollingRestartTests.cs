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
        // The settled placement: shares 2, 1, 1 (ties go to the first name), so nothing moves any more.
        var placed = await h.Probe.WaitAsync(
            r => r.Count == 4 && r.Values.Count(n => n == "n1") == 2 && r.Values.Count(n => n == "n2") == 1,
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
        Assert.Equal(placed, await h.Probe.WaitAsync(r => r.Count == 4, "all running"));
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
