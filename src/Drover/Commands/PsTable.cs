using System.Globalization;
using System.Text;
using Drover.Core.Control.Wire;

namespace Drover.Cli.Commands;

/// <summary>The `drover ps` table.</summary>
internal static class PsTable
{
    public static string Render(IReadOnlyList<PsEntry> rows)
    {
        // NOTE (a liveness restart, a dependency that cannot be met) only when a row has one.
        bool notes = rows.Any(r => r.Note is not null);
        string[] noteHeader = notes ? ["NOTE"] : [];
        string[] header = ["NAME", "PID", "STATE", "UPTIME", "RESTARTS", "PORT", "LAST EXIT", "CPU%", "RSS", .. noteHeader];
        var cells = rows.Select(r => new string[]
        {
            r.Name,
            r.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.Status ?? r.State,
            r.UptimeSeconds is double up ? Duration(up) : "-",
            r.Restarts.ToString(CultureInfo.InvariantCulture),
            r.Port?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.LastExitCode is int code ? $"code {code}" : r.LastExitSignal ?? "-",
            r.CpuPercent?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-",
            r.RssBytes is long rss ? $"{rss / (1024.0 * 1024):0.0}M" : "-",
        }.Concat(notes ? [r.Note ?? "-"] : Array.Empty<string>()).ToArray()).ToList();
        int[] widths = header.Select((h, i) => cells.Select(c => c[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        foreach (var row in cells.Prepend(header))
        {
            sb.AppendJoin("  ", row.Select((c, i) => c.PadRight(widths[i]))).Append('\n');
        }
        return sb.ToString().Replace(" \n", "\n", StringComparison.Ordinal);
    }

    private static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:00}s"
            : $"{t.TotalSeconds:0.0}s";
    }
}
