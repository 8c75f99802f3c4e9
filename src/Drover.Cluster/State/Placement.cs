using Drover.Core.Formation;

namespace Drover.Cluster.State;

/// <summary>
/// Deterministic placement, computed the same way by every agent from the same view: how many slots each live
/// agent should own (an even spread by capacity), and which slots one agent should claim or release to get
/// there. Only the surplus moves, so a joining agent takes its share without stopping anything else.
/// </summary>
public static class Placement
{
    /// <summary>
    /// The number of slots each node should own: slots go one at a time to the node with the lowest
    /// owned/capacity ratio (ties: fewer owned, then node name), never beyond a node's capacity.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Shares(IReadOnlyDictionary<string, int> capacities, int slots)
    {
        var shares = capacities.Keys.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        for (int s = 0; s < slots; s++)
        {
            string? best = null;
            foreach (var (node, capacity) in capacities.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (shares[node] >= capacity)
                {
                    continue;
                }
                if (best is null || Better(node, best))
                {
                    best = node;
                }
            }
            if (best is null)
            {
                break;
            }
            shares[best]++;
        }
        return shares;

        bool Better(string a, string b)
        {
            // Compare shares[a]/cap[a] with shares[b]/cap[b] without division.
            long left = (long)shares[a] * capacities[b];
            long right = (long)shares[b] * capacities[a];
            return left != right ? left < right : shares[a] < shares[b];
        }
    }

    /// <summary>What <paramref name="node"/> should do now.</summary>
    /// <param name="node">The agent deciding.</param>
    /// <param name="lease">Its lease: only claims attached to it are its own.</param>
    /// <param name="view">The cluster state.</param>
    /// <param name="runnable">Whether this agent can run a type (it is in its Procfile).</param>
    public static PlacementStep Decide(string node, long lease, ClusterView view, Func<string, bool> runnable)
    {
        var mine = view.Claims.Where(c => c.Value.Lease == lease).Select(c => c.Key).ToList();
        // Claims the formation no longer asks for (scaled down) are released whatever the shares say.
        var release = mine.Where(s => !view.IsDesired(s)).ToList();
        var kept = mine.Where(view.IsDesired).ToList();

        var capacities = view.Nodes.ToDictionary(n => n.Key, n => Math.Max(0, n.Value.Capacity), StringComparer.Ordinal);
        if (!capacities.ContainsKey(node))
        {
            // Not registered (yet, or any more): claim nothing new, keep what it has.
            return new PlacementStep([], release);
        }
        var desired = view.DesiredSlots();
        int share = Shares(capacities, desired.Count)[node];

        var perType = kept.GroupBy(s => s.Type).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (kept.Count > share)
        {
            // Give up the surplus from the types this node has most of, highest numbers first.
            var surplus = kept
                .OrderByDescending(s => perType[s.Type]).ThenBy(s => s.Type, StringComparer.Ordinal).ThenByDescending(s => s.Index)
                .Take(kept.Count - share);
            release.AddRange(surplus);
            return new PlacementStep([], release);
        }

        // Free slots, spread over types: first the types this node has fewest of.
        var claim = desired
            .Where(s => !view.Claims.ContainsKey(s) && runnable(s.Type))
            .OrderBy(s => perType.GetValueOrDefault(s.Type) + s.Index)
            .ThenBy(s => s.Type, StringComparer.Ordinal)
            .ThenBy(s => s.Index)
            .Take(share - kept.Count)
            .ToList();
        return new PlacementStep(claim, release);
    }
}

/// <summary>One agent's next moves.</summary>
/// <param name="Claim">Free slots to try to claim, in order.</param>
/// <param name="Release">Own slots to stop and give up.</param>
public sealed record PlacementStep(IReadOnlyList<InstanceName> Claim, IReadOnlyList<InstanceName> Release);
