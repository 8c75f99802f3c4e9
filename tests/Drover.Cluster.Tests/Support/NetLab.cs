using System.Diagnostics;

namespace Drover.Cluster.Tests.Support;

/// <summary>
/// Network namespaces for partition tests: a hub namespace holding a bridge, and one namespace per host (etcd,
/// agents) joined to it by a veth pair on 10.77.0.0/24. Names are unique per run; disposing deletes every
/// namespace (and with it every interface). Cuts are nftables rules inside one host's namespace.
/// </summary>
internal sealed class NetLab : IDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _namespaces = [];
    private int _hosts;

    private NetLab()
    {
    }

    private string Hub => $"dv{_id}h";

    /// <summary>Creates the hub and its bridge.</summary>
    public static NetLab Create()
    {
        var lab = new NetLab();
        try
        {
            lab.Add(lab.Hub);
            Ip("-n", lab.Hub, "link", "add", "br0", "type", "bridge");
            Ip("-n", lab.Hub, "link", "set", "br0", "up");
        }
        catch
        {
            lab.Dispose();
            throw;
        }
        return lab;
    }

    /// <summary>Adds a host namespace with address 10.77.0.N; returns its name.</summary>
    public string AddHost(string role, out string address)
    {
        int n = ++_hosts;
        string ns = $"dv{_id}{role}";
        string peer = $"p{_id}{n}";
        Add(ns);
        Ip("-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", peer, "netns", Hub);
        address = $"10.77.0.{n}";
        Ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        Ip("-n", ns, "link", "set", "eth0", "up");
        Ip("-n", Hub, "link", "set", peer, "master", "br0");
        Ip("-n", Hub, "link", "set", peer, "up");
        return ns;
    }

    /// <summary>Drops, inside <paramref name="ns"/>, packets to (<paramref name="outgoing"/>) or from <paramref name="peer"/>.</summary>
    public static void Cut(string ns, string peer, bool outgoing)
    {
        Run("ip", "netns", "exec", ns, "nft", "add", "table", "inet", "drovercut");
        string hook = outgoing ? "output" : "input";
        Run("ip", "netns", "exec", ns, "nft", "add", "chain", "inet", "drovercut", "c", "{", "type", "filter", "hook", hook, "priority", "0", ";", "}");
        Run("ip", "netns", "exec", ns, "nft", "add", "rule", "inet", "drovercut", "c", "ip", outgoing ? "daddr" : "saddr", peer, "drop");
    }

    /// <summary>Removes the cut of <paramref name="ns"/>.</summary>
    public static void Heal(string ns) => Run("ip", "netns", "exec", ns, "nft", "delete", "table", "inet", "drovercut");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (string ns in Enumerable.Reverse(_namespaces))
        {
            try
            {
                Run("ip", "netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
                // Keep deleting the others.
            }
        }
    }

    private void Add(string ns)
    {
        Ip("netns", "add", ns);
        _namespaces.Add(ns);
        Ip("-n", ns, "link", "set", "lo", "up");
    }

    private static void Ip(params string[] args) => Run("ip", args);

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {err}");
        }
    }
}
