namespace Drover.Export.Tests.Support;

/// <summary>
/// A swarm of three docker engines, each in its own network namespace (10.79.0.N on a bridge in a hub namespace,
/// so they reach one another as separate machines would); engine 1 is the manager. Disposing stops the engines and
/// deletes the namespaces with every interface in them.
/// </summary>
internal sealed class DockerSwarm : IDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _namespaces = [];

    public DockerSwarm()
    {
        try
        {
            string hub = Namespace("h");
            Ip("-n", hub, "link", "add", "br0", "type", "bridge");
            Ip("-n", hub, "link", "set", "br0", "up");
            for (int n = 1; n <= 3; n++)
            {
                string ns = Namespace(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Ip("-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", $"s{_id}{n}", "netns", hub);
                Ip("-n", ns, "addr", "add", $"10.79.0.{n}/24", "dev", "eth0");
                Ip("-n", ns, "link", "set", "eth0", "up");
                Ip("-n", hub, "link", "set", $"s{_id}{n}", "master", "br0");
                Ip("-n", hub, "link", "set", $"s{_id}{n}", "up");
                Engines.Add(new DockerEngine($"swarm{n}", ns));
            }
            Manager.Check("swarm", "init", "--advertise-addr", "10.79.0.1");
            string token = Manager.Check("swarm", "join-token", "-q", "worker").Trim();
            foreach (var worker in Engines.Skip(1))
            {
                worker.Check("swarm", "join", "--token", token, "10.79.0.1:2377");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The three engines; the first is the manager.</summary>
    public List<DockerEngine> Engines { get; } = [];

    /// <summary>The manager, where stacks are deployed and inspected.</summary>
    public DockerEngine Manager => Engines[0];

    public void Dispose()
    {
        foreach (var engine in Engines.AsEnumerable().Reverse())
        {
            engine.Dispose();
        }
        foreach (string ns in _namespaces)
        {
            Commands.Run("ip", ["netns", "delete", ns], TimeSpan.FromSeconds(30));
        }
    }

    private string Namespace(string suffix)
    {
        string ns = $"dw{_id}{suffix}";
        Ip("netns", "add", ns);
        _namespaces.Add(ns);
        Ip("-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    private static void Ip(params string[] args)
    {
        var (code, stdout, stderr) = Commands.Run("ip", args, TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"ip {string.Join(' ', args)} exited with {code}: {stdout}{stderr}");
    }
}
