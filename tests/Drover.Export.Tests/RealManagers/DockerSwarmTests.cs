using System.Diagnostics;
using Drover.Export.Tests.Support;
using Drover.Export.Writing;
using Xunit.Abstractions;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// The Compose export as a stack on a swarm of three docker engines, each in its own network namespace
/// (<see cref="DockerSwarm"/>): the orchestrator path that docs/cluster.md compares with <c>drover agent</c>.
/// </summary>
[Collection("docker")]
public sealed class DockerSwarmTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _tmp = new();
    private const string Stack = "swapp";

    public void Dispose() => _tmp.Dispose();

    [RequiresCommandFact("mmdebstrap", "dockerd", "docker", "nsenter", "ip")]
    public void A_stack_spreads_over_three_engines_moves_a_dead_engines_tasks_and_rolls_an_update_start_first()
    {
        using var swarm = new DockerSwarm();
        Parallel.ForEach(swarm.Engines, e => _ = e.Image);
        var request = Fixtures.Request(Fixtures.Procfile(("web", "exec sleep 600"), ("worker", "exec sleep 600")), "web=6,worker=1",
            new Dictionary<string, string>(), image: swarm.Manager.Image, user: DebianRootfs.User, timeout: 10, app: Stack);
        var files = Exporters.Export("compose", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        Assert.True(ExportWriter.Write(_tmp.Combine("out"), Stack, "compose", files.Value).Ok);
        var manager = swarm.Manager;
        var nodes = swarm.Engines.Select(e => e.Check("info", "--format", "{{.Swarm.NodeID}}").Trim()).ToList();

        manager.Check("stack", "deploy", "-c", _tmp.Combine("out", "compose.yaml"), Stack);
        var placed = Wait.For(() => Running(manager, "web") is { Count: 6 } r && r.Distinct().Count() == 3 ? r : null,
            "6 web tasks running on all three engines", context: () => manager.Run("stack", "ps", Stack).Stdout);
        output.WriteLine($"web tasks per node: {string.Join(", ", placed.GroupBy(n => n).Select(g => $"{nodes.IndexOf(g.Key) + 1}:{g.Count()}"))}");

        // Engine 3 dies (SIGKILL of dockerd): the manager marks its node down and starts its tasks elsewhere.
        var clock = Stopwatch.StartNew();
        swarm.Engines[2].Kill();
        Wait.Until(() => Running(manager, "web") is { Count: 6 } r && !r.Contains(nodes[2]), "6 web tasks running without engine 3",
            timeout: TimeSpan.FromMinutes(2), context: () => manager.Run("service", "ps", $"{Stack}_web").Stdout);
        output.WriteLine($"tasks of the killed engine running elsewhere after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal("down", manager.Check("node", "inspect", "--format", "{{.Status.State}}", nodes[2]).Trim());

        // A rolling update: one task at a time, each new one started before the old one stops.
        var update = Task.Run(() => manager.Run("service", "update", "--force", "--detach=false", $"{Stack}_web"));
        var seen = new List<int>();
        while (!update.IsCompleted)
        {
            seen.Add(Running(manager, "web").Count);
        }
        Assert.True(update.Result.Code == 0, update.Result.Stdout + update.Result.Stderr);
        Assert.True(seen.Count > 0 && seen.Min() >= 6, $"running web tasks during the update: {string.Join(',', seen)}");

        // The engine comes back: its stale containers (they outlived dockerd in their shims) are stopped.
        swarm.Engines[2].Restart();
        Wait.Until(() => swarm.Engines[2].Run("ps", "-q", "--filter", $"label=com.docker.stack.namespace={Stack}").Stdout.Trim().Length == 0,
            "engine 3's stale tasks stopped", timeout: TimeSpan.FromMinutes(2), context: () => swarm.Engines[2].Run("ps", "-a").Stdout);
        manager.Check("stack", "rm", Stack);
    }

    /// <summary>The node of each task of <paramref name="service"/> that runs now.</summary>
    private static List<string> Running(DockerEngine manager, string service)
    {
        var ids = manager.Run("service", "ps", "-q", "--filter", "desired-state=running", $"{Stack}_{service}").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0)
        {
            return [];
        }
        return [.. manager.Run(["inspect", "--format", "{{.NodeID}} {{.Status.State}}", .. ids]).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2 && p[1] == "running")
            .Select(p => p[0])];
    }
}
