using System.Globalization;
using System.Text.Json;

namespace Drover.Tui.Model;

/// <summary>
/// The process table's columns, in order. Each reads the field it shows from the row's JSON (GET /v1/events, the
/// same rows as <c>drover ps --json</c>), so a field the control API gains is one line here.
/// </summary>
internal static class Columns
{
    public static readonly IReadOnlyList<Column> All =
    [
        new("NAME", -1, false, r => Str(r, "name")),
        new("STATE", 8, false, r => Str(r, "state")),
        // Only when some row says more than its state (a probe, a dependency waited for): `status` is then longer.
        new("READY", 9, false, Readiness, rows => rows.Any(r => Str(r, "status") is { Length: > 0 } s && s != Str(r, "state"))),
        new("PID", 7, true, r => Num(r, "pid", "0")),
        new("UPTIME", 7, true, r => Duration(r, "uptimeSeconds")),
        new("RST", 3, true, r => Num(r, "restarts", "0")),
        new("PORT", 5, true, r => Num(r, "port", "0")),
        new("CPU%", 5, true, r => Num(r, "cpuPercent", "0.0")),
        new("RSS", 6, true, r => Bytes(r, "rssBytes")),
        new("COMMAND", 0, false, r => Str(r, "command")),
    ];

    /// <summary>The columns to show for <paramref name="rows"/>.</summary>
    public static List<Column> For(IReadOnlyList<JsonElement> rows) => [.. All.Where(c => c.Shown is null || c.Shown(rows))];

    private static bool Has(JsonElement row, string name) =>
        row.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    private static string Str(JsonElement row, string name) =>
        row.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => v.GetRawText(),
        } : "";

    private static string Num(JsonElement row, string name, string format) =>
        row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble().ToString(format, CultureInfo.InvariantCulture)
            : "-";

    private static string Duration(JsonElement row, string name)
    {
        if (!row.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number)
        {
            return "-";
        }
        var t = TimeSpan.FromSeconds(v.GetDouble());
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d{t.Hours:00}h"
            : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
            : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s"
            : $"{(int)t.TotalSeconds}s";
    }

    private static string Bytes(JsonElement row, string name)
    {
        if (!row.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number)
        {
            return "-";
        }
        double b = v.GetDouble();
        return b >= 1 << 30 ? (b / (1 << 30)).ToString("0.0G", CultureInfo.InvariantCulture)
            : b >= 1 << 20 ? (b / (1 << 20)).ToString("0.0M", CultureInfo.InvariantCulture)
            : (b / 1024).ToString("0K", CultureInfo.InvariantCulture);
    }

    // waiting (for a dependency) first, then unhealthy, then ready or not, then healthy.
    private static string Readiness(JsonElement row)
    {
        if (Str(row, "state") == "waiting")
        {
            return "waiting";
        }
        bool? healthy = row.TryGetProperty("healthy", out var h) && h.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? h.ValueKind == JsonValueKind.True
            : null;
        if (healthy == false)
        {
            return "unhealthy";
        }
        string status = Str(row, "status");
        if (status.Contains("(unready", StringComparison.Ordinal))
        {
            return "unready";
        }
        if (status.Contains("(ready", StringComparison.Ordinal))
        {
            return "ready";
        }
        return healthy == true ? "healthy" : "-";
    }
}
