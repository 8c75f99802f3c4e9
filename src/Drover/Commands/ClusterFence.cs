using System.CommandLine;
using System.Text.Json;
using Drover.Cluster.State;
using Drover.Core.Formation;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover cluster fence TYPE=keep|fenced ...</c>: each type's fencing policy, stored with the desired formation
/// (compare-and-swap, like scale), so every agent applies the same one.
/// </summary>
internal static class ClusterFence
{
    public static Command Create(ClusterOptions cluster)
    {
        var pairs = new Argument<string[]>("policies")
        {
            Description = "TYPE=keep or TYPE=fenced; with none, prints every type's policy",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("fence",
            "Set what an agent cut off from etcd does with a type's processes. keep (default, at least once): they run on "
            + "through an etcd outage or partition; a slot moved meanwhile may run twice until the partition heals, then "
            + "the newest claim wins. fenced (at most once, for singletons such as a scheduler): they are stopped "
            + "(SIGTERM, SIGKILL after -t) before the agent's lease can expire, so a slot never runs on two nodes.");
        command.Arguments.Add(pairs);
        command.SetAction(parse => ClusterCommand.WithStore(cluster, parse, async (store, keys, cancel) =>
        {
            var request = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (string pair in parse.GetValue(pairs) ?? [])
            {
                string[] parts = pair.Split('=', 2);
                if (parts.Length != 2 || !InstanceName.TryParse(parts[0] + ".1", out _) || parts[1] is not (FencingPolicy.Keep or FencingPolicy.Fenced))
                {
                    Console.Error.WriteLine($"drover: '{pair}' is not TYPE=keep or TYPE=fenced");
                    return ExitCodes.Usage;
                }
                request[parts[0]] = parts[1] == FencingPolicy.Fenced;
            }
            while (true)
            {
                var view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
                var current = view.Desired ?? new DesiredState(new Dictionary<string, int>(StringComparer.Ordinal), "");
                var fenced = (current.Fenced ?? []).ToHashSet(StringComparer.Ordinal);
                foreach (var (type, on) in request)
                {
                    if (on)
                    {
                        fenced.Add(type);
                    }
                    else
                    {
                        fenced.Remove(type);
                    }
                }
                var types = view.Nodes.Values.SelectMany(n => n.Types).Concat(current.Counts.Keys).Concat(fenced)
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                string Line() => string.Join(" ", types.Select(t => $"{t}={(fenced.Contains(t) ? FencingPolicy.Fenced : FencingPolicy.Keep)}"));
                if (request.Count == 0)
                {
                    Console.WriteLine(Line());
                    return ExitCodes.Ok;
                }
                var desired = current with { Fenced = fenced.Order(StringComparer.Ordinal).ToList() };
                if (await store.ReplaceAsync(keys.Desired, JsonSerializer.Serialize(desired, ClusterJson.Default.DesiredState), view.DesiredModRevision, cancel))
                {
                    Console.WriteLine(Line());
                    return ExitCodes.Ok;
                }
            }
        }));
        return command;
    }
}
