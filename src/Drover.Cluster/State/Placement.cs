using Drover.Core.Formation;

namespace Drover.Cluster.State;

/// <summary>
/// Deterministic placement, computed the same way by every agent from the same view: how many slots of each type
/// each live agent should run (only on nodes whose Procfile has the type, filling capacity, each type spread over
/// its nodes), and which slots one agent should claim or release to get there. Only the surplus moves, so a
/// joining agent takes its share without stopping anything else.
/// </summary>
public static partial class Placement
{
    /// <summary>
    /// How many slots of each type each live node should run, computed the same way by every agent: types with
    /// the fewest capable nodes first (so a type only some nodes have is not crowded out), each slot to the
    /// capable node with room that has the fewest of that type, then one that holds such a slot already, then the
    /// lowest load/capacity, then the name.
    /// A slot that finds no room is placed by moving one slot of another type to a node with room, if that helps.
    /// </summary>
    public static IReadOnlyDictionary<string, Dictionary<string, int>> Targets(ClusterView view)
    {
        var nodes = view.Nodes.Values.OrderBy(n => n.Node, StringComparer.Ordinal).ToList();
        var load = nodes.ToDictionary(n => n.Node, _ => 0, StringComparer.Ordinal);
        var targets = nodes.ToDictionary(n => n.Node, _ => new Dictionary<string, int>(StringComparer.Ordinal), StringComparer.Ordinal);
        var counts = view.Desired?.Counts.Where(kv => kv.Value > 0) ?? [];
        // What each node holds now: among equally good nodes, the one that already runs the slot keeps it, so a
        // change (a surge, a scale of another type) does not shuffle what runs.
        var held = nodes.ToDictionary(
            n => n.Node,
            n => view.Claims.Where(c => c.Value.Lease == n.Lease && view.IsDesired(c.Key))
                .GroupBy(c => c.Key.Type).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            StringComparer.Ordinal);
        bool Can(NodeRecord n, string type) => n.Types.Contains(type, StringComparer.Ordinal);
        bool Room(NodeRecord n) => load[n.Node] < n.Capacity;
        int Of(string node, string type) => targets[node].GetValueOrDefault(type);
        void Put(string node, string type, int delta)
        {
            targets[node][type] = Of(node, type) + delta;
            load[node] += delta;
        }

        foreach (var (type, count) in counts
            .OrderBy(kv => nodes.Count(n => Can(n, kv.Key))).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            for (int i = 0; i < count; i++)
            {
                var best = nodes.Where(n => Can(n, type) && Room(n))
                    .OrderBy(n => Of(n.Node, type))
                    .ThenBy(n => held[n.Node].GetValueOrDefault(type) > Of(n.Node, type) ? 0 : 1)
                    .ThenBy(n => (double)load[n.Node] / Math.Max(1, n.Capacity))
                    .ThenBy(n => n.Node, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (best is not null)
                {
                    Put(best.Node, type, 1);
                    continue;
                }
                // Full: free a place on a capable node by moving one of its other slots to a node with room.
                var move = nodes.Where(n => Can(n, type))
                    .SelectMany(full => targets[full.Node].Where(t => t.Value > 0 && t.Key != type)
                        .SelectMany(t => nodes.Where(to => to.Node != full.Node && Can(to, t.Key) && Room(to))
                            .Select(to => (From: full.Node, Type: t.Key, To: to.Node))))
                    .FirstOrDefault();
                if (move.From is null)
                {
                    break;
                }
                Put(move.From, move.Type, -1);
                Put(move.To, move.Type, 1);
                Put(move.From, type, 1);
            }
        }
        return targets;
    }

    /// <summary>What <paramref name="node"/> should do now.</summary>
    /// <param name="node">The agent deciding.</param>
    /// <param name="lease">Its lease: only claims attached to it are its own.</param>
    /// <param name="view">The cluster state.</param>
    /// <param name="runnable">Whether this agent can run a type (it is in its Procfile).</param>
    public static PlacementStep Decide(string node, long lease, ClusterView view, Func<string, bool> runnable)
    {
        var mine = view.Claims.Where(c => c.Value.Lease == lease).Select(c => c.Key).ToList();
        // Claims the formation no longer asks for (scaled down) are released whatever the targets say.
        var release = mine.Where(s => !view.IsDesired(s)).ToList();
        var kept = mine.Where(view.IsDesired).ToList();
        if (!view.Nodes.ContainsKey(node))
        {
            // Not registered (yet, or any more): claim nothing new, keep what it has.
            return new PlacementStep([], release);
        }
        var targets = Targets(view);
        var target = targets[node];

        // Per type: give up the surplus (highest numbers first), claim free slots up to the target.
        var claim = new List<InstanceName>();
        foreach (var group in kept.GroupBy(s => s.Type))
        {
            release.AddRange(group.OrderByDescending(s => s.Index).Take(Math.Max(0, group.Count() - target.GetValueOrDefault(group.Key))));
        }
        foreach (var (type, want) in target)
        {
            int have = kept.Count(s => s.Type == type);
            if (want > have && runnable(type))
            {
                // Every agent computes the same shortfalls from the same view and takes its own slice of the free
                // slots (nodes in name order), so the agents acting on one change claim disjoint slots instead of
                // all racing for the lowest numbers (one winner per round: 10 agents took 10 rounds).
                int offset = view.Nodes.Values
                    .Where(n => string.CompareOrdinal(n.Node, node) < 0)
                    .Sum(n => Math.Max(0, targets[n.Node].GetValueOrDefault(type)
                        - view.Claims.Count(c => c.Value.Lease == n.Lease && c.Key.Type == type && view.IsDesired(c.Key))));
                claim.AddRange(view.DesiredSlots().Where(s => s.Type == type && !view.Claims.ContainsKey(s)).Skip(offset).Take(want - have));
            }
        }
        // Interleave types, lowest numbers first: a node that gets part of what it asks for gets a bit of each.
        return new PlacementStep(claim.OrderBy(s => s.Index).ThenBy(s => s.Type, StringComparer.Ordinal).ToList(), release);
    }
}

/// <summary>Why slots are unassigned.</summary>
public static partial class Placement
{
    /// <summary>For each desired slot nobody claimed: why (no live node has the type, or those that do are full).</summary>
    public static IReadOnlyDictionary<InstanceName, string> Unassigned(ClusterView view)
    {
        var result = new Dictionary<InstanceName, string>();
        var targets = Targets(view);
        foreach (var slot in view.DesiredSlots().Where(s => !view.Claims.ContainsKey(s)))
        {
            var able = view.Nodes.Values.Where(n => n.Types.Contains(slot.Type, StringComparer.Ordinal)).ToList();
            int placed = targets.Values.Sum(t => t.GetValueOrDefault(slot.Type));
            int claimed = view.Claims.Keys.Count(c => c.Type == slot.Type && view.IsDesired(c));
            result[slot] = able.Count == 0
                ? $"no live node has type {slot.Type} in its Procfile"
                : claimed >= placed
                    ? $"no room: the nodes that can run {slot.Type} ({string.Join(", ", able.Select(n => n.Node))}) are at their capacity"
                    : "placed, waiting for its node to claim it";
        }
        return result;
    }
}

/// <summary>One agent's next moves.</summary>
/// <param name="Claim">Free slots to try to claim, in order.</param>
/// <param name="Release">Own slots to stop and give up.</param>
public sealed record PlacementStep(IReadOnlyList<InstanceName> Claim, IReadOnlyList<InstanceName> Release);
