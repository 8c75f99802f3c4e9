using System.Diagnostics;
using Drover.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Drover.Cluster.Tests;

/// <summary>
/// Agents cut off from etcd by nftables inside network namespaces, web fenced and worker keep. The processes' own
/// start/stop timestamps (one monotonic clock for the whole machine) must show that no web slot ever ran on two
/// nodes at the same moment, that the cut-off node's worker ran on through the cut, and that once healed every
/// worker slot runs exactly once again.
/// </summary>
[Collection("etcd")]
public sealed class PartitionTests(ITestOutputHelper output)
{
    /// <summary>How many cuts one run makes: each agent in turn, alternating the direction.</summary>
    private const int Cuts = 4;

    [Fact]
    public async Task An_agent_cut_off_from_etcd_stops_its_processes_before_they_run_elsewhere()
    {
        using var lab = NetLab.Create();
        string etcdNs = lab.AddHost("e", out string etcdIp);
        var agentNs = Enumerable.Range(1, 3).Select(i => lab.AddHost($"a{i}", out _)).ToList();
        await using var h = await ClusterHarness.StartAsync(await EtcdCluster.StartAsync(etcdNs, etcdIp));
        await EventuallyAsync(async () => (await CliAsync(h, etcdNs, "nodes")).Code == 0, "etcd answers inside its namespace");

        var agents = agentNs.Select((ns, i) => h.StartAgent($"n{i + 1}", netns: ns)).ToList();
        Assert.Equal(0, (await CliAsync(h, etcdNs, "fence", "web=fenced")).Code);
        Assert.Equal(0, (await CliAsync(h, etcdNs, "scale", "web=3", "worker=3")).Code);
        await WaitRunningAsync(h, etcdNs, Settled, "two slots per agent");

        for (int cut = 0; cut < Cuts; cut++)
        {
            // Outgoing packets to etcd dropped: no renewal reaches etcd; the agent fences, its lease expires.
            // Incoming packets from etcd dropped: renewals may still arrive but the agent hears nothing, so it
            // fences and stops renewing (it only asks whether the lease lives), and the lease expires.
            int i = cut % agents.Count;
            bool outgoing = cut % 2 == 0;
            var cutOff = agents[i];
            var held = (await RunningAsync(h, etcdNs))!.Where(kv => kv.Value == cutOff.Node).Select(kv => kv.Key).ToList();
            double cutAt = SlotLog.Uptime();
            var clock = Stopwatch.StartNew();
            NetLab.Cut(agentNs[i], etcdIp, outgoing);
            await WaitRunningAsync(h, etcdNs, r => held.All(s => r.TryGetValue(s, out var n) && n != cutOff.Node), $"{cutOff.Node}'s slots running elsewhere");
            output.WriteLine($"{(outgoing ? "outgoing" : "incoming")} cut of {cutOff.Node}: its slots running elsewhere after {clock.Elapsed.TotalSeconds:0.0} s");
            double movedAt = SlotLog.Uptime();
            NetLab.Heal(agentNs[i]);
            await WaitRunningAsync(h, etcdNs, Settled, $"{cutOff.Node} rejoined");

            // Its keep slots ran on through the cut, past the moment they ran elsewhere too.
            // (The latest run of each of them there before the cut: earlier cuts may have moved the same slot.)
            var kept = held.Where(s => s.StartsWith("worker.", StringComparison.Ordinal))
                .Select(s => h.Log.Runs().Where(r => r.Node == cutOff.Node && r.Slot == s && r.Start < cutAt).MaxBy(r => r.Start))
                .ToList();
            Assert.True(kept.All(r => r is not null && r.End > movedAt), $"{cutOff.Node}'s worker ran on through the cut\n{h.AgentOutput()}");
        }
        Assert.All(agents, a => Assert.Contains("fencing", a.Output));

        var overlaps = h.Log.Overlaps().Where(o => o.A.Slot.StartsWith("web.", StringComparison.Ordinal)).ToList();
        Assert.True(overlaps.Count == 0, string.Join("\n", overlaps.Select(o => $"{o.A} overlaps {o.B}")) + "\n" + h.AgentOutput());
        // Once healed, the duplicates are gone: every worker slot has exactly one live process.
        await Eventually.HoldsAsync(() => h.Log.Runs().Where(r => !r.Stopped && Directory.Exists($"/proc/{r.Pid}") && r.Slot.StartsWith("worker.", StringComparison.Ordinal))
            .GroupBy(r => r.Slot).All(g => g.Count() == 1), TimeSpan.FromSeconds(30), () => "one process per worker slot");
    }

    private static bool Settled(Dictionary<string, string> running) =>
        running.Count == 6 && running.Values.GroupBy(n => n).Count() == 3 && running.Values.GroupBy(n => n).All(g => g.Count() == 2);

    private static Task<(int Code, string Stdout, string Stderr)> CliAsync(ClusterHarness h, string ns, params string[] args) =>
        ClusterHarness.RunInAsync(ns, ["cluster", "--etcd", h.Etcd.Endpoints, "--app", h.App, .. args]);

    /// <summary>Slot to node of every slot `drover cluster ps` shows running.</summary>
    private static async Task<Dictionary<string, string>?> RunningAsync(ClusterHarness h, string ns)
    {
        var ps = await CliAsync(h, ns, "ps");
        if (ps.Code != 0)
        {
            return null;
        }
        return ps.Stdout.Split('\n').Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 3 && f[2] == "running")
            .ToDictionary(f => f[0], f => f[1]);
    }

    private static async Task WaitRunningAsync(ClusterHarness h, string ns, Func<Dictionary<string, string>, bool> condition, string what)
    {
        Dictionary<string, string>? last = null;
        await EventuallyAsync(async () =>
        {
            last = await RunningAsync(h, ns);
            return last is not null && condition(last);
        }, what, () => $"running: {string.Join(", ", (last ?? []).Select(kv => $"{kv.Key}@{kv.Value}"))}\n{h.AgentOutput()}");
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, Func<string>? more = null)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"still not true after 90 s: {what}\n{more?.Invoke()}");
            }
            await Task.Delay(250);
        }
    }
}
