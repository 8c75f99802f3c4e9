using System.Diagnostics;
using Drover.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Drover.Cluster.Tests;

/// <summary>
/// Agents cut off from etcd by nftables inside network namespaces. The processes' own start/stop timestamps
/// (one monotonic clock for the whole machine) must show that no slot ever ran on two nodes at the same moment.
/// </summary>
[Collection("etcd")]
public sealed class PartitionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_agent_cut_off_from_etcd_stops_its_processes_before_they_run_elsewhere()
    {
        using var lab = NetLab.Create();
        string etcdNs = lab.AddHost("e", out string etcdIp);
        var agentNs = Enumerable.Range(1, 3).Select(i => lab.AddHost($"a{i}", out _)).ToList();
        await using var h = await ClusterHarness.StartAsync(await EtcdCluster.StartAsync(etcdNs, etcdIp));
        await EventuallyAsync(async () => (await CliAsync(h, etcdNs, "nodes")).Code == 0, "etcd answers inside its namespace");

        var agents = agentNs.Select((ns, i) => h.StartAgent($"n{i + 1}", netns: ns)).ToList();
        Assert.Equal(0, (await CliAsync(h, etcdNs, "scale", "web=3")).Code);
        await WaitRunningAsync(h, etcdNs, r => r.Count == 3 && r.Values.Distinct().Count() == 3, "one slot per agent");

        // 1. Outgoing packets to etcd dropped: no renewal reaches etcd; the agent fences, its lease expires.
        var cutOff = agents[0];
        var clock = Stopwatch.StartNew();
        NetLab.Cut(agentNs[0], etcdIp, outgoing: true);
        await WaitRunningAsync(h, etcdNs, r => r.Count == 3 && !r.ContainsValue(cutOff.Node), "n1's slot running elsewhere");
        output.WriteLine($"outgoing cut: slot running elsewhere after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("fencing", cutOff.Output);
        NetLab.Heal(agentNs[0]);
        await WaitRunningAsync(h, etcdNs, r => r.Count == 3 && r.Values.Distinct().Count() == 3, "n1 rejoined with a slot");

        // 2. Incoming packets from etcd dropped: renewals still arrive (the lease lives on) but the agent hears
        // nothing, so it fences and abandons the lease, which then expires.
        var deaf = agents[1];
        clock.Restart();
        NetLab.Cut(agentNs[1], etcdIp, outgoing: false);
        await WaitRunningAsync(h, etcdNs, r => r.Count == 3 && !r.ContainsValue(deaf.Node), "n2's slot running elsewhere");
        output.WriteLine($"incoming cut: slot running elsewhere after {clock.Elapsed.TotalSeconds:0.0} s");
        NetLab.Heal(agentNs[1]);
        await WaitRunningAsync(h, etcdNs, r => r.Count == 3 && r.Values.Distinct().Count() == 3, "n2 rejoined with a slot");

        var overlaps = h.Log.Overlaps();
        Assert.True(overlaps.Count == 0, string.Join("\n", overlaps.Select(o => $"{o.A} overlaps {o.B}")) + "\n" + h.AgentOutput());
        Assert.True(h.Log.Runs().Count >= 5, "slots moved and came back");
    }

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
