using System.Diagnostics;
using Drover.Cluster.Store;

namespace Drover.Cluster.Tests.Support;

/// <summary>
/// A real 3-member etcd cluster (Debian's etcd-server) on free ports, with its own data directories; stopped with
/// SIGKILL and deleted when disposed. Optionally inside a network namespace, listening for clients on an address
/// of that namespace (peers always talk over its loopback).
/// </summary>
internal sealed class EtcdCluster : IAsyncDisposable
{
    private readonly List<Process?> _members = [];
    private readonly List<ProcessStartInfo> _starts = [];
    private readonly string _dir;

    private EtcdCluster(string dir, IReadOnlyList<string> clientUrls)
    {
        _dir = dir;
        ClientUrls = clientUrls;
    }

    /// <summary>The members' client URLs.</summary>
    public IReadOnlyList<string> ClientUrls { get; }

    /// <summary>All client URLs, comma-separated, as <c>--etcd</c> takes them.</summary>
    public string Endpoints => string.Join(',', ClientUrls);

    /// <summary>Starts three members and waits until the cluster answers linearizable reads.</summary>
    /// <param name="netns">Run the members inside this network namespace (null: the test's own).</param>
    /// <param name="clientHost">The address clients reach them on.</param>
    public static async Task<EtcdCluster> StartAsync(string? netns = null, string clientHost = "127.0.0.1")
    {
        string dir = Path.Combine(Path.GetTempPath(), "drover-cluster-tests", "etcd-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        // Inside a fresh namespace every port is free; outside, ask the kernel.
        int[] ports = netns is null ? FreePorts.Take(6) : [2379, 2380, 2381, 2382, 2383, 2384];
        var peers = Enumerable.Range(0, 3).Select(i => $"http://127.0.0.1:{ports[(2 * i) + 1]}").ToArray();
        var clients = Enumerable.Range(0, 3).Select(i => $"http://{clientHost}:{ports[2 * i]}").ToArray();
        string initial = string.Join(',', Enumerable.Range(0, 3).Select(i => $"m{i}={peers[i]}"));
        var cluster = new EtcdCluster(dir, clients);
        for (int i = 0; i < 3; i++)
        {
            var args = new List<string>
            {
                "--name", $"m{i}", "--data-dir", Path.Combine(dir, $"m{i}"),
                "--listen-client-urls", clients[i], "--advertise-client-urls", clients[i],
                "--listen-peer-urls", peers[i], "--initial-advertise-peer-urls", peers[i],
                "--initial-cluster", initial, "--initial-cluster-state", "new",
                "--initial-cluster-token", Path.GetFileName(dir),
                "--logger=zap", $"--log-outputs={Path.Combine(dir, $"m{i}.log")}", "--pre-vote=true",
            };
            var psi = netns is null ? new ProcessStartInfo("etcd") : new ProcessStartInfo("ip", ["netns", "exec", netns, "etcd"]);
            args.ForEach(psi.ArgumentList.Add);
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
            cluster._starts.Add(psi);
            cluster._members.Add(Launch(psi));
        }
        if (netns is null)
        {
            try
            {
                await cluster.WaitHealthyAsync();
            }
            catch
            {
                // Nobody else holds the members yet: they must not outlive a failed start.
                await cluster.DisposeAsync();
                throw;
            }
        }
        return cluster;
    }

    /// <summary>Waits until a linearizable read succeeds through every member.</summary>
    public async Task WaitHealthyAsync()
    {
        foreach (string url in ClientUrls)
        {
            await using var store = new EtcdStore(url, TimeSpan.FromSeconds(2));
            using var give = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                try
                {
                    await store.GetPrefixAsync("/", give.Token);
                    break;
                }
                catch (ClusterUnavailableException) when (!give.IsCancellationRequested)
                {
                    await Task.Delay(200);
                }
            }
        }
    }

    /// <summary>Starts member <paramref name="index"/> again on its data directory (after <see cref="Kill"/>).</summary>
    public void Restart(int index)
    {
        Kill(index);
        _members[index]?.Dispose();
        _members[index] = Launch(_starts[index]);
    }

    private static Process Launch(ProcessStartInfo psi)
    {
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>
    /// The index of the member that leads now, asked through etcd's JSON gateway (<c>/v3/maintenance/status</c>):
    /// the one whose own id is the leader it reports.
    /// </summary>
    public async Task<int> LeaderAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (int i = 0; i < ClientUrls.Count; i++)
        {
            using var response = await http.PostAsync($"{ClientUrls[i]}/v3/maintenance/status", new StringContent("{}"));
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = json.RootElement;
            if (root.GetProperty("header").GetProperty("member_id").GetString() == root.GetProperty("leader").GetString())
            {
                return i;
            }
        }
        throw new InvalidOperationException("no member says it leads");
    }

    /// <summary>SIGKILLs member <paramref name="index"/>.</summary>
    public void Kill(int index)
    {
        var p = _members[index];
        if (p is not null && !p.HasExited)
        {
            p.Kill();
            p.WaitForExit();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < _members.Count; i++)
        {
            Kill(i);
            _members[i]?.Dispose();
        }
        await Task.Yield();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a member may still be closing a file.
        }
    }
}
