using System.Globalization;
using System.Text;
using Drover.Cluster.State;
using Drover.Core.Formation;

namespace Drover.Cli.Commands;

/// <summary>The `drover cluster ps` and `nodes` tables.</summary>
internal static class ClusterTables
{
    public static string Ps(ClusterView view)
    {
        var statuses = view.Nodes.Values
            .SelectMany(n => n.Slots.Select(s => (n.Node, Status: s)))
            .ToDictionary(x => (x.Node, x.Status.Name), x => x.Status);
        var slots = view.DesiredSlots().Concat(view.Claims.Keys).Distinct()
            .OrderBy(s => s.Type, StringComparer.Ordinal).ThenBy(s => s.Index);
        var rows = new List<string[]>();
        foreach (var slot in slots)
        {
            if (!view.Claims.TryGetValue(slot, out var claim))
            {
                rows.Add([slot.ToString(), "-", "unassigned", "-", "-", "-"]);
                continue;
            }
            statuses.TryGetValue((claim.Claim.Node, slot.ToString()), out var s);
            string state = s?.State ?? "claimed";
            if (!view.IsDesired(slot))
            {
                state += " (scaling down)";
            }
            rows.Add([
                slot.ToString(), claim.Claim.Node, state,
                s?.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
                s?.Restarts.ToString(CultureInfo.InvariantCulture) ?? "-",
                s?.Port?.ToString(CultureInfo.InvariantCulture) ?? "-",
            ]);
        }
        return Render(["NAME", "NODE", "STATE", "PID", "RESTARTS", "PORT"], rows);
    }

    public static string Nodes(ClusterView view, DateTimeOffset now)
    {
        string? desiredRevision = view.Desired?.Revision;
        var rows = view.Nodes.Values.Select(n => new[]
        {
            n.Node,
            n.Slots.Count.ToString(CultureInfo.InvariantCulture),
            n.Capacity.ToString(CultureInfo.InvariantCulture),
            $"{Math.Max(0, (now.ToUnixTimeMilliseconds() - n.HeartbeatUnixMs) / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)}s ago",
            n.Revision + (desiredRevision is { Length: > 0 } d && d != n.Revision ? " (differs)" : ""),
            string.Join(",", n.Types),
        }).ToList();
        return Render(["NODE", "SLOTS", "CAPACITY", "HEARTBEAT", "REVISION", "TYPES"], rows);
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
