using System.Globalization;
using System.Text;
using Drover.Cluster.State;
using Drover.Core.Formation;

namespace Drover.Cli.Commands;

/// <summary>The `drover cluster ps` and `nodes` tables.</summary>
internal static class ClusterTables
{
    /// <summary>
    /// The ps table. <paramref name="leaseLeft"/> is how long each node's lease has left: a node that stopped
    /// renewing it is cut off from etcd, and its slots are then fenced (stopped) or kept running by their policy.
    /// </summary>
    public static string Ps(ClusterView view, IReadOnlyDictionary<string, TimeSpan> leaseLeft)
    {
        var statuses = view.Nodes.Values
            .SelectMany(n => n.Slots.Select(s => (n.Node, Status: s)))
            .ToDictionary(x => (x.Node, x.Status.Name), x => x.Status);
        var slots = view.DesiredSlots().Concat(view.Claims.Keys).Distinct()
            .OrderBy(s => s.Type, StringComparer.Ordinal).ThenBy(s => s.Index);
        var unassigned = Placement.Unassigned(view);
        var rows = new List<string[]>();
        foreach (var slot in slots)
        {
            bool fenced = view.Desired?.IsFenced(slot.Type) == true;
            string policy = fenced ? FencingPolicy.Fenced : FencingPolicy.Keep;
            if (!view.Claims.TryGetValue(slot, out var claim))
            {
                rows.Add([slot.ToString(), "-", "unassigned", policy, "-", "-", "-", unassigned.GetValueOrDefault(slot, "")]);
                continue;
            }
            string owner = claim.Claim.Node;
            statuses.TryGetValue((owner, slot.ToString()), out var s);
            string state = s?.State ?? "claimed";
            var notes = new List<string>();
            if (!view.IsDesired(slot))
            {
                notes.Add("scaling down");
            }
            if (view.Nodes.TryGetValue(owner, out var node) && node.LeaseTtlMs > 0 && leaseLeft.TryGetValue(owner, out var left))
            {
                // etcd reports whole seconds left; a node renews every TTL/10, so 2 s unconfirmed is already unusual.
                double silent = (node.LeaseTtlMs / 1000.0) - Math.Max(0, left.TotalSeconds);
                bool pastFence = silent * 1000 >= node.LeaseTtlMs - node.FenceMarginMs;
                if (silent >= 2 && pastFence && fenced)
                {
                    state = "fenced";
                    notes.Add($"{owner} has not renewed its lease for ~{silent:0} s: stopped there, runs elsewhere once the lease expires");
                }
                else if (silent >= 2)
                {
                    notes.Add(fenced
                        ? $"{owner} has not renewed its lease for ~{silent:0} s: it stops the slot before the lease can expire"
                        : $"{owner} has not renewed its lease for ~{silent:0} s: keeps running there; once the lease expires another node runs it too until the partition heals");
                }
            }
            var twins = view.Nodes.Values
                .Where(n => n.Node != owner && n.Slots.Any(x => x.Name == slot.ToString() && x.State == "running"))
                .Select(n => n.Node).ToList();
            if (twins.Count > 0)
            {
                notes.Add($"duplicated: also running on {string.Join(", ", twins)} (the newest claim, on {owner}, wins)");
            }
            rows.Add([
                slot.ToString(), owner, state, policy,
                s?.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
                s?.Restarts.ToString(CultureInfo.InvariantCulture) ?? "-",
                s?.Port?.ToString(CultureInfo.InvariantCulture) ?? "-",
                string.Join("; ", notes),
            ]);
        }
        return Render(["NAME", "NODE", "STATE", "FENCING", "PID", "RESTARTS", "PORT", "NOTE"], rows);
    }

    /// <summary>The nodes table; <paramref name="leaseLeft"/>: how long each node's lease has left (it renews every TTL/10).</summary>
    public static string Nodes(ClusterView view, IReadOnlyDictionary<string, TimeSpan> leaseLeft)
    {
        string? desiredRevision = view.Desired?.Revision;
        var rows = view.Nodes.Values.Select(n => new[]
        {
            n.Node,
            n.Slots.Count.ToString(CultureInfo.InvariantCulture),
            n.Capacity.ToString(CultureInfo.InvariantCulture),
            leaseLeft.TryGetValue(n.Node, out var left)
                ? $"{Math.Max(0, left.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)}/{(n.LeaseTtlMs / 1000.0).ToString("0.#", CultureInfo.InvariantCulture)}s"
                : "-",
            n.Revision + (desiredRevision is { Length: > 0 } d && d != n.Revision ? " (differs)" : ""),
            string.Join(",", n.Types),
        }).ToList();
        return Render(["NODE", "SLOTS", "CAPACITY", "LEASE LEFT", "REVISION", "TYPES"], rows);
    }

    private static string Render(string[] header, List<string[]> rows)
    {
        int[] widths = header.Select((h, i) => rows.Select(c => c[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            sb.Append(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }
        return sb.ToString();
    }

    internal static string Name(InstanceName slot) => slot.ToString();
}
