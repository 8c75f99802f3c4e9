using Drover.Cluster.State;
using Drover.Core.Formation;

namespace Drover.Cluster.Tests;

public sealed class PlacementTests
{
    private static readonly Func<string, bool> Any = _ => true;

    [Fact]
    public void Three_nodes_and_web_3_run_one_each()
    {
        var targets = Placement.Targets(View(new() { ["web"] = 3 }, ["a", "b", "c"]));
        Assert.All(["a", "b", "c"], n => Assert.Equal(1, targets[n].GetValueOrDefault("web")));
    }

    [Fact]
    public void Each_type_is_spread_over_the_nodes()
    {
        var targets = Placement.Targets(View(new() { ["web"] = 9, ["worker"] = 3 }, ["a", "b", "c"]));
        Assert.All(["a", "b", "c"], n =>
        {
            Assert.Equal(3, targets[n].GetValueOrDefault("web"));
            Assert.Equal(1, targets[n].GetValueOrDefault("worker"));
        });
    }

    [Fact]
    public void A_type_only_some_nodes_have_goes_there_and_capacity_is_filled_first()
    {
        var nodes = new[]
        {
            new NodeRecord("n1", 2, 1, 0, "r", ["web"], []),
            new NodeRecord("n2", 2, 2, 0, "r", ["web"], []),
            new NodeRecord("n3", 2, 3, 0, "r", ["web", "extra"], []),
        };
        var view = View(new() { ["web"] = 4, ["extra"] = 2 }, nodes);
        var targets = Placement.Targets(view);
        Assert.Equal(2, targets["n3"].GetValueOrDefault("extra"));
        Assert.Equal(0, targets["n3"].GetValueOrDefault("web"));
        Assert.Equal(2, targets["n1"]["web"]);
        Assert.Equal(2, targets["n2"]["web"]);
        Assert.All(Placement.Unassigned(view).Values, why => Assert.StartsWith("placed", why));
        Assert.Equal(["extra.1", "extra.2"], Placement.Decide("n3", 3, view, _ => true).Claim.Select(s => s.ToString()));
    }

    [Fact]
    public void A_slot_without_room_or_without_a_node_that_has_its_type_says_why()
    {
        var nodes = new[] { new NodeRecord("n1", 1, 1, 0, "r", ["web"], []), new NodeRecord("n2", 1, 2, 0, "r", ["web"], []) };
        var view = View(new() { ["web"] = 3, ["clock"] = 1 }, nodes, ("web.1", 1), ("web.2", 2));
        var why = Placement.Unassigned(view);
        Assert.Contains("no room", why[new InstanceName("web", 3)]);
        Assert.Contains("no live node has type clock", why[new InstanceName("clock", 1)]);
    }

    [Fact]
    public void A_type_that_only_one_node_has_is_placed_before_the_types_others_can_take()
    {
        // x sorts first and would land on a (ties: the name), but y, which only a has, is placed first.
        var nodes = new[] { new NodeRecord("a", 1, 1, 0, "r", ["x", "y"], []), new NodeRecord("b", 1, 2, 0, "r", ["x", "y2"], []) };
        var targets = Placement.Targets(View(new() { ["x"] = 1, ["y"] = 1 }, nodes));
        Assert.Equal(1, targets["a"].GetValueOrDefault("y"));
        Assert.Equal(1, targets["b"].GetValueOrDefault("x"));
    }

    [Fact]
    public void A_surge_of_one_web_does_not_move_the_worker()
    {
        // One web each and the worker on c; one more web (a rolling restart's surge) goes to a node, the worker stays.
        var view = View(new() { ["web"] = 4, ["worker"] = 1 }, ["a", "b", "c"],
            ("web.1", 1), ("web.2", 2), ("web.3", 3), ("worker.1", 3));
        var targets = Placement.Targets(view);
        Assert.Equal(1, targets["c"].GetValueOrDefault("worker"));
        Assert.Empty(Placement.Decide("c", 3, view, _ => true).Release);
        Assert.Equal(4, targets.Values.Sum(t => t.GetValueOrDefault("web")));
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
    public void Agents_acting_on_one_view_claim_disjoint_free_slots()
    {
        // web=9 on three empty nodes, and c already runs web.9: a, b and c each take their own slice.
        var view = View(new() { ["web"] = 10 }, ["a", "b", "c"], ("web.9", 3));
        var claims = new[] { ("a", 1L), ("b", 2L), ("c", 3L) }
            .Select(n => Placement.Decide(n.Item1, n.Item2, view, Any).Claim.Select(s => s.ToString()).ToList())
            .ToList();
        Assert.Equal(["web.1", "web.2", "web.3", "web.4"], claims[0]);
        Assert.Equal(["web.5", "web.6", "web.7"], claims[1]);
        Assert.Equal(["web.8", "web.10"], claims[2]);
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

    /// <summary>A view with the given nodes (lease = 1 + position) and claims (slot, owner lease).</summary>
    [Fact]
    public void A_slot_whose_capable_nodes_are_full_moves_another_slot_to_a_node_with_room()
    {
        // a only fits n3; p (two capable nodes besides n4) is dealt before q (by name): p.1 to n1, p.2 to n2. Then
        // q's nodes n2 and n3 are both full, but p on n2 can go to n4, which has room: the move makes room for q.
        var nodes = new[]
        {
            new NodeRecord("n1", 1, 1, 0, "r", ["p"], []),
            new NodeRecord("n2", 1, 2, 0, "r", ["p", "q"], []),
            new NodeRecord("n3", 1, 3, 0, "r", ["a", "q"], []),
            new NodeRecord("n4", 1, 4, 0, "r", ["p"], []),
        };
        var view = View(new() { ["a"] = 1, ["p"] = 2, ["q"] = 1 }, nodes);
        var targets = Placement.Targets(view);
        Assert.Equal(1, targets["n1"].GetValueOrDefault("p"));
        Assert.Equal(0, targets["n2"].GetValueOrDefault("p"));
        Assert.Equal(1, targets["n2"].GetValueOrDefault("q"));
        Assert.Equal(1, targets["n3"].GetValueOrDefault("a"));
        Assert.Equal(1, targets["n4"].GetValueOrDefault("p"));
        Assert.All(Placement.Unassigned(view).Values, why => Assert.StartsWith("placed", why));

        // The same when n2 already runs p.2: it releases it, n4 claims it, and n2 claims q.1.
        var running = View(new() { ["a"] = 1, ["p"] = 2, ["q"] = 1 }, nodes, ("a.1", 3), ("p.1", 1), ("p.2", 2));
        var n2 = Placement.Decide("n2", 2, running, Any);
        Assert.Equal(["p.2"], n2.Release.Select(s => s.ToString()));
        Assert.Equal(["q.1"], n2.Claim.Select(s => s.ToString()));
        Assert.Empty(Placement.Decide("n4", 4, running, Any).Claim);
        var afterRelease = View(new() { ["a"] = 1, ["p"] = 2, ["q"] = 1 }, nodes, ("a.1", 3), ("p.1", 1));
        Assert.Equal(["p.2"], Placement.Decide("n4", 4, afterRelease, Any).Claim.Select(s => s.ToString()));
    }

    private static ClusterView View(Dictionary<string, int> counts, string[] nodes, params (string Slot, long Lease)[] claims) =>
        View(counts, nodes.Select((n, i) => new NodeRecord(n, 10, i + 1, 0, "r", ["web", "worker"], [])).ToArray(), claims);

    private static ClusterView View(Dictionary<string, int> counts, NodeRecord[] nodes, params (string Slot, long Lease)[] claims)
    {
        var records = nodes.ToDictionary(n => n.Node, n => n);
        var owned = claims.ToDictionary(
            c => InstanceName.TryParse(c.Slot, out var s) ? s : throw new ArgumentException(c.Slot),
            c => (new SlotClaim(nodes[(int)c.Lease - 1].Node), c.Lease));
        return new ClusterView(new DesiredState(counts, "r"), 1, records, owned, new Dictionary<InstanceName, long>());
    }
}
