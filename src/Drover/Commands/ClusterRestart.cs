using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Drover.Cluster.State;
using Drover.Cluster.Store;
using Drover.Core.Formation;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover cluster restart [TYPE|TYPE.N]</c>: rolling across nodes with a surge of one. First one extra slot of
/// the type is started (the formation is raised by one) and waited for until it is ready; then each slot's
/// restart generation is raised in turn, its owner restarts it, and the next waits until this one is ready again;
/// last the extra slot is scaled away. So the type never has fewer ready processes than its count.
/// Ready: running, and accepting connections on its PORT if the process it replaces did.
/// </summary>
internal static class ClusterRestart
{
    public static Command Create(ClusterOptions cluster)
    {
        var target = new Argument<string?>("target") { Description = "a type (web), a slot (web.2), or nothing for all", Arity = ArgumentArity.ZeroOrOne };
        var wait = new Option<int>("--wait")
        {
            Description = "seconds each process may take to be ready (running, and accepting on its PORT if the old one did) before the roll stops",
            DefaultValueFactory = _ => 60,
        };
        var command = new Command("restart",
            "Rolling restart across nodes without a gap: one extra process of the type is started and must be ready first "
            + "(surge of 1), then one slot at a time is restarted, the next once the previous is ready again; then the extra "
            + "one is stopped.");
        command.Arguments.Add(target);
        command.Options.Add(wait);
        command.SetAction(parse => ClusterCommand.WithStore(cluster, parse, async (store, keys, cancel) =>
        {
            string? which = parse.GetValue(target);
            var limit = TimeSpan.FromSeconds(parse.GetValue(wait));
            var view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
            var slots = view.DesiredSlots()
                .Where(s => which is null || s.Type == which || s.ToString() == which)
                .ToList();
            if (slots.Count == 0)
            {
                Console.Error.WriteLine($"drover: no slot matches '{which}'");
                return ExitCodes.Usage;
            }
            foreach (var type in slots.Select(s => s.Type).Distinct(StringComparer.Ordinal))
            {
                if (!await RollTypeAsync(store, keys, slots.Where(s => s.Type == type).ToList(), limit, cancel))
                {
                    return ExitCodes.Failure;
                }
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<bool> RollTypeAsync(IClusterStore store, ClusterKeys keys, List<InstanceName> slots, TimeSpan limit, CancellationToken cancel)
    {
        string type = slots[0].Type;
        var view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
        bool listened = Statuses(view).Any(s => s.Name.StartsWith(type + ".", StringComparison.Ordinal) && s.Listening);
        int count = view.Desired!.Counts[type];
        var surge = new InstanceName(type, count + 1);
        bool surged = await SetCountAsync(store, keys, type, count, count + 1, cancel);
        try
        {
            if (surged)
            {
                Console.WriteLine($"{surge}: started as the extra process of the roll");
                if (!await WaitReadyAsync(store, keys, surge, 0, listened, limit, cancel))
                {
                    Console.Error.WriteLine($"drover: the extra {type} process ({surge}) was not ready within {limit.TotalSeconds:0} s; nothing was restarted");
                    return false;
                }
            }
            foreach (var slot in slots)
            {
                view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
                if (!view.Claims.TryGetValue(slot, out var claim))
                {
                    Console.WriteLine($"{slot}: unassigned, skipped");
                    continue;
                }
                bool wasListening = Statuses(view).Any(s => s.Name == slot.ToString() && s.Listening);
                long generation = view.RestartGeneration(slot) + 1;
                await store.PutAsync(keys.Restart(slot), generation.ToString(CultureInfo.InvariantCulture), 0, cancel);
                Console.WriteLine($"{slot}: restarting on {claim.Claim.Node}");
                if (!await WaitReadyAsync(store, keys, slot, generation, wasListening, limit, cancel))
                {
                    Console.Error.WriteLine($"drover: {slot} was not ready again within {limit.TotalSeconds:0} s; the roll stops here");
                    return false;
                }
            }
            return true;
        }
        finally
        {
            if (surged && await SetCountAsync(store, keys, type, count + 1, count, CancellationToken.None))
            {
                Console.WriteLine($"{surge}: stopped, the roll is over");
            }
        }
    }

    private static IEnumerable<SlotStatus> Statuses(ClusterView view) => view.Nodes.Values.SelectMany(n => n.Slots);

    /// <summary>Sets the type's count from <paramref name="from"/> to <paramref name="to"/> (compare-and-swap); false if it was not <paramref name="from"/>.</summary>
    private static async Task<bool> SetCountAsync(IClusterStore store, ClusterKeys keys, string type, int from, int to, CancellationToken cancel)
    {
        while (true)
        {
            var view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
            if (view.Desired is null || view.Desired.Counts.GetValueOrDefault(type) != from)
            {
                // Someone scaled meanwhile: their count stands.
                return false;
            }
            var counts = new Dictionary<string, int>(view.Desired.Counts, StringComparer.Ordinal) { [type] = to };
            var desired = view.Desired with { Counts = counts };
            if (await store.ReplaceAsync(keys.Desired, JsonSerializer.Serialize(desired, ClusterJson.Default.DesiredState), view.DesiredModRevision, cancel))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="slot"/> runs with at least <paramref name="generation"/> and, when
    /// <paramref name="listening"/>, accepts connections on its PORT.
    /// </summary>
    private static async Task<bool> WaitReadyAsync(
        IClusterStore store, ClusterKeys keys, InstanceName slot, long generation, bool listening, TimeSpan limit, CancellationToken cancel)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            var view = ClusterView.Parse(keys, await store.GetPrefixAsync(keys.Prefix, cancel));
            if (view.Claims.TryGetValue(slot, out var claim) && view.Nodes.TryGetValue(claim.Claim.Node, out var node)
                && node.Slots.Any(s => s.Name == slot.ToString() && s.RestartGeneration >= generation && s.State == "running"
                    && (!listening || s.Listening)))
            {
                return true;
            }
            await Task.Delay(200, cancel);
        }
        return false;
    }
}
