using System.CommandLine;
using System.Text.Json;
using Drover.Cluster.State;
using Drover.Cluster.Store;
using Drover.Core.Formation;

namespace Drover.Cli.Commands;

/// <summary><c>drover cluster scale|ps|nodes|restart</c>: read and change an app's cluster state in etcd.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var cluster = new ClusterOptions();
        var command = new Command("cluster", "Read and change an app run by `drover agent`s across machines (docs/cluster.md).");
        cluster.AddTo(command);
        command.Subcommands.Add(Scale(cluster));
        command.Subcommands.Add(Ps(cluster));
        command.Subcommands.Add(Nodes(cluster));
        command.Subcommands.Add(ClusterRestart.Create(cluster));
        command.Subcommands.Add(ClusterFence.Create(cluster));
        return command;
    }

    private static Command Scale(ClusterOptions cluster)
    {
        var counts = new Argument<string[]>("counts") { Description = "TYPE=N pairs, e.g. web=12 worker=4", Arity = ArgumentArity.OneOrMore };
        var command = new Command("scale", "Set how many processes of each type run across the cluster; the agents follow within a second.");
        command.Arguments.Add(counts);
        command.SetAction(parse => WithStore(cluster, parse, async (store, keys, cancel) =>
        {
            var request = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string pair in parse.GetValue(counts)!)
            {
                string[] parts = pair.Split('=', 2);
                if (parts.Length != 2 || !InstanceName.TryParse(parts[0] + ".1", out _) || !int.TryParse(parts[1], out int n) || n < 0)
                {
                    Console.Error.WriteLine($"drover: '{pair}' is not TYPE=COUNT with a count of 0 or more");
                    return ExitCodes.Usage;
                }
                request[parts[0]] = n;
            }
            while (true)
            {
                var view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
                var known = view.Nodes.Values.SelectMany(n => n.Types).ToHashSet(StringComparer.Ordinal);
                var unknown = request.Keys.Where(t => request[t] > 0 && known.Count > 0 && !known.Contains(t)).ToList();
                if (unknown.Count > 0)
                {
                    Console.Error.WriteLine($"drover: no live agent has a process type {string.Join(", ", unknown.Select(t => $"'{t}'"))} (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
                    return ExitCodes.Usage;
                }
                var merged = new Dictionary<string, int>(view.Desired?.Counts ?? new Dictionary<string, int>(), StringComparer.Ordinal);
                foreach (var (type, n) in request)
                {
                    merged[type] = n;
                }
                var desired = new DesiredState(merged, view.Desired?.Revision ?? "", view.Desired?.Fenced);
                // Compare-and-swap, so two concurrent scales of different types both land.
                if (await store.ReplaceAsync(keys.Desired, JsonSerializer.Serialize(desired, ClusterJson.Default.DesiredState), view.DesiredModRevision, cancel))
                {
                    Console.WriteLine(string.Join(" ", merged.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
                    return ExitCodes.Ok;
                }
            }
        }));
        return command;
    }

    private static Command Nodes(ClusterOptions cluster) => Table(
        cluster, "nodes", "The live agents: slots run, capacity, lease time left (renewed every TTL/10: a low value means the agent is cut off), app revision.",
        ClusterTables.Nodes);

    private static Command Ps(ClusterOptions cluster) => Table(
        cluster, "ps",
        "Every slot of the app: its fencing policy, which node runs it, its state (duplicated, cut off, fenced, "
        + "or why it is unassigned), pid, restarts and port.",
        ClusterTables.Ps);

    /// <summary>
    /// A command that reads the app's keys (linearizably), and how long each node's lease has left (which tells
    /// whether its agent still renews it), and prints one table of them.
    /// </summary>
    private static Command Table(ClusterOptions cluster, string name, string description,
        Func<ClusterView, IReadOnlyDictionary<string, TimeSpan>, string> render)
    {
        var command = new Command(name, description);
        command.SetAction(parse => WithStore(cluster, parse, async (store, keys, cancel) =>
        {
            var view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
            var left = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
            foreach (var (node, record) in view.Nodes)
            {
                left[node] = await store.LeaseRemainingAsync(record.Lease, cancel);
            }
            Console.Write(render(view, left));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Connects, runs <paramref name="action"/>, and turns an unreachable etcd into a clear message and exit 1.</summary>
    internal static async Task<int> WithStore(
        ClusterOptions cluster, ParseResult parse, Func<IClusterStore, ClusterKeys, CancellationToken, Task<int>> action)
    {
        await using var store = cluster.Connect(parse);
        try
        {
            return await action(store, cluster.Keys(parse), CancellationToken.None);
        }
        catch (ClusterUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"drover: cannot reach the cluster: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
