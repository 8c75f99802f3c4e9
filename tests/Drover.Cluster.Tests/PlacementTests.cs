using Drover.Cluster.State;
using Drover.Core.Formation;

namespace Drover.Cluster.Tests;

public sealed class PlacementTests
{
    private static readonly Func<string, bool> Any = _ => true;

    [Fact]
    public void Shares_spread_evenly_over_equal_nodes_the_remainder_to_the_first_names()
    {
        var shares = Placement.Shares(Caps(("b", 10), ("a", 10), ("c", 10)), 7);
        Assert.Equal(3, shares["a"]);
        Assert.Equal(2, shares["b"]);
        Assert.Equal(2, shares["c"]);
    }

    [Fact]
    public void Shares_follow_capacity_and_never_exceed_it()
    {
        var shares = Placement.Shares(Caps(("big", 8), ("small", 2)), 20);
        Assert.Equal(8, shares["big"]);
        Assert.Equal(2, shares["small"]);
        var half = Placement.Shares(Caps(("big", 8), ("small", 2)), 5);
        Assert.Equal(4, half["big"]);
        Assert.Equal(1, half["small"]);
    }

    [Fact]
    public void A_node_over_its_share_releases_only_the_surplus_from_its_most_numerous_type()
    {
        var view = View(new() { ["web"] = 4, ["worker"] = 1 }, ["a", "b"],
            ("web.1", 1), ("web.2", 1), ("web.3", 1), ("worker.1", 1), ("web.4", 2));
        var step = Placement.Decide("a", 1, view, Any);
        Assert.Empty(step.Claim);
        Assert.Equal([new InstanceName("web", 3)], step.Release);
    }

    [Fact]
    public void A_node_under_its_share_claims_free_slots_interleaving_types()
    {
        var view = View(new() { ["web"] = 2, ["worker"] = 2 }, ["a"]);
        var step = Placement.Decide("a", 1, view, Any);
        Assert.Equal(["web.1", "worker.1", "web.2", "worker.2"], step.Claim.Select(s => s.ToString()));
        Assert.Empty(step.Release);
    }

    [Fact]
    public void Slots_scaled_away_are_released_and_types_the_node_cannot_run_are_not_claimed()
    {
        var view = View(new() { ["web"] = 1, ["clock"] = 1 }, ["a"], ("web.1", 1), ("web.2", 1));
        var step = Placement.Decide("a", 1, view, t => t == "web");
        Assert.Empty(step.Claim);
        Assert.Equal([new InstanceName("web", 2)], step.Release);
    }

    [Fact]
    public void An_unregistered_node_claims_nothing()
    {
        var view = View(new() { ["web"] = 3 }, ["b"]);
        Assert.Empty(Placement.Decide("a", 1, view, Any).Claim);
    }

    private static Dictionary<string, int> Caps(params (string Node, int Capacity)[] nodes) =>
        nodes.ToDictionary(n => n.Node, n => n.Capacity);

    /// <summary>A view with the given nodes (lease = 1 + position) and claims (slot, owner lease).</summary>
    private static ClusterView View(Dictionary<string, int> counts, string[] nodes, params (string Slot, long Lease)[] claims)
    {
        var records = nodes.Select((n, i) => new NodeRecord(n, 10, i + 1, 0, "r", ["web", "worker"], []))
            .ToDictionary(n => n.Node, n => n);
        var owned = claims.ToDictionary(
            c => InstanceName.TryParse(c.Slot, out var s) ? s : throw new ArgumentException(c.Slot),
            c => (new SlotClaim(nodes[(int)c.Lease - 1]), c.Lease));
        return new ClusterView(new DesiredState(counts, "r"), 1, records, owned, new Dictionary<InstanceName, long>());
    }
}
