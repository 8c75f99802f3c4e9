using System.Diagnostics;

namespace Drover.Cluster.Tests.Support;

/// <summary>
/// One test's world: a 3-member etcd cluster, an app folder whose processes write to a <see cref="SlotLog"/>,
/// agents, and the `drover cluster` client. Agents use a short lease (5 s) and stop timeout (1 s) so failures
/// resolve quickly; disposing kills everything and deletes the folders.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    public const int LeaseTtl = 5;

    private readonly List<AgentProcess> _agents = [];

    private ClusterHarness(EtcdCluster etcd, string root)
    {
        Etcd = etcd;
        Root = root;
        Log = new SlotLog(Path.Combine(root, "slots.log"));
        File.WriteAllText(Path.Combine(root, "Procfile"), Log.ProcfileLine("web") + "\n" + Log.ProcfileLine("worker") + "\n");
        // (Inside network namespaces the test itself cannot reach etcd; those tests ask `drover cluster` there.)
        Probe = new ClusterProbe(etcd.Endpoints, App);
    }

    public EtcdCluster Etcd { get; }

    public string Root { get; }

    public string App { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    public SlotLog Log { get; }

    public ClusterProbe Probe { get; }

    public IReadOnlyList<AgentProcess> Agents => _agents;

    public static async Task<ClusterHarness> StartAsync(EtcdCluster? etcd = null)
    {
        string root = Path.Combine(Path.GetTempPath(), "drover-cluster-tests", "app-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        return new ClusterHarness(etcd ?? await EtcdCluster.StartAsync(), root);
    }

    /// <summary>Starts an agent; the first one writes the initial formation <paramref name="formation"/>.</summary>
    public AgentProcess StartAgent(string node, string formation = "web=1,worker=0", string? netns = null, string? endpoints = null, string? procfile = null, int? port = null)
    {
        var agent = AgentProcess.Start(endpoints ?? Etcd.Endpoints, App, node, Root, netns,
            ["-m", formation, "--lease-ttl", LeaseTtl.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "1",
                .. procfile is null ? Array.Empty<string>() : ["-f", procfile],
                .. port is null ? Array.Empty<string>() : ["-p", port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]]);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>Runs <c>drover cluster --etcd ... --app ... ARGS</c>.</summary>
    public Task<(int Code, string Stdout, string Stderr)> ClusterAsync(params string[] args) =>
        RunDroverAsync(["cluster", "--etcd", Etcd.Endpoints, "--app", App, .. args]);

    public static Task<(int Code, string Stdout, string Stderr)> RunDroverAsync(params string[] args) => RunInAsync(null, args);

    /// <summary>Runs drover, inside network namespace <paramref name="netns"/> unless it is null.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunInAsync(string? netns, params string[] args)
    {
        var psi = netns is null ? new ProcessStartInfo(DroverBinary.Path) : new ProcessStartInfo("ip", ["netns", "exec", netns, DroverBinary.Path]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>What each agent printed, for failure messages.</summary>
    /// <summary>
    /// The log's runs once the process of every slot in <paramref name="running"/> (slot to node, from the probe)
    /// has written its first line: an agent reports a slot running as soon as it is spawned, before that.
    /// </summary>
    public async Task<IReadOnlyList<SlotLog.Run>> LoggedRunsAsync(IReadOnlyDictionary<string, string> running)
    {
        var view = await Probe.ReadAsync();
        var pids = running.ToDictionary(kv => kv.Key, kv => view.Nodes[kv.Value].Slots.Single(s => s.Name == kv.Key).Pid);
        IReadOnlyList<SlotLog.Run> runs = [];
        await Eventually.HoldsAsync(
            () => pids.All(kv => (runs = Log.Runs()).Any(r => r.Slot == kv.Key && r.Pid == kv.Value)),
            TimeSpan.FromSeconds(60), () => "every running slot's process in the log");
        return runs;
    }

    public string AgentOutput() => string.Join("\n", _agents.Select(a => $"--- {a.Node} ---\n{a.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }
        await Probe.DisposeAsync();
        await Etcd.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process killed with its agent may still be appending for a moment.
        }
    }
}
