using System.CommandLine;
using System.Globalization;
using Drover.Cluster.State;
using Drover.Core.Formation;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover cluster restart [TYPE|TYPE.N]</c>: rolling across nodes. Each slot's restart generation is raised in
/// turn; its owner restarts it and reports the generation; the next slot waits until this one runs again.
/// </summary>
internal static class ClusterRestart
{
    public static Command Create(ClusterOptions cluster)
    {
        var target = new Argument<string?>("target") { Description = "a type (web), a slot (web.2), or nothing for all", Arity = ArgumentArity.ZeroOrOne };
        var wait = new Option<int>("--wait")
        {
            Description = "seconds each slot may take to run again before the roll stops",
            DefaultValueFactory = _ => 60,
        };
        var command = new Command("restart", "Rolling restart across nodes: one slot at a time, the next once the previous runs again.");
        command.Arguments.Add(target);
        command.Options.Add(wait);
        command.SetAction(parse => ClusterCommand.WithStore(cluster, parse, async (store, keys, cancel) =>
        {
            string? which = parse.GetValue(target);
            var view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
            var slots = view.DesiredSlots()
                .Where(s => which is null || s.Type == which || s.ToString() == which)
                .ToList();
            if (slots.Count == 0)
            {
                Console.Error.WriteLine($"drover: no slot matches '{which}'");
                return ExitCodes.Usage;
            }
            foreach (var slot in slots)
            {
                if (!view.Claims.TryGetValue(slot, out var claim))
                {
                    Console.WriteLine($"{slot}: unassigned, skipped");
                    continue;
                }
                long generation = view.RestartGeneration(slot) + 1;
                await store.PutAsync(keys.Restart(slot), generation.ToString(CultureInfo.InvariantCulture), 0, cancel);
                Console.WriteLine($"{slot}: restarting on {claim.Claim.Node}");
                if (!await WaitRunningAsync(store, keys, slot, generation, TimeSpan.FromSeconds(parse.GetValue(wait)), cancel))
                {
                    Console.Error.WriteLine($"drover: {slot} was not running again within {parse.GetValue(wait)} s; the roll stops here");
                    return ExitCodes.Failure;
                }
                view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<bool> WaitRunningAsync(
        Cluster.Store.IClusterStore store, ClusterKeys keys, InstanceName slot, long generation, TimeSpan limit, CancellationToken cancel)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            var view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
            bool done = view.Nodes.Values.SelectMany(n => n.Slots)
                .Any(s => s.Name == slot.ToString() && s.RestartGeneration >= generation && s.State == "running");
            // A slot that moved to another node (its owner died) counts as restarted once it runs there.
            if (done || !view.Claims.ContainsKey(slot))
            {
                return true;
            }
            await Task.Delay(200, cancel);
        }
        return false;
    }
}
