using System.Globalization;
using System.Text.Json;

namespace Drover.Tui.Model;

/// <summary>
/// The process table's columns, in order. Each reads the field it shows from the row's JSON (GET /v1/events, the
/// same rows as <c>drover ps --json</c>), so a field the control API gains is one line here.
/// </summary>
internal static class Columns
{
    /// <summary>The fields the probes report (readiness, health, waiting for a dependency).</summary>
    private static readonly string[] ReadinessFields = ["waiting", "ready", "healthy"];

    public static readonly IReadOnlyList<Column> All =
    [
        new("NAME", -1, false, r => Str(r, "name")),
        new("STATE", 8, false, r => Str(r, "state")),
        new("READY", 9, false, Readiness, rows => rows.Any(r => ReadinessFields.Any(f => Has(r, f)))),
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

    // waiting (for a dependency) first, then unhealthy, then ready or not.
    private static string Readiness(JsonElement row)
    {
        if (row.TryGetProperty("waiting", out var w) && (w.ValueKind == JsonValueKind.True || (w.ValueKind == JsonValueKind.String && w.GetString() is { Length: > 0 })))
        {
            return "waiting";
        }
        if (row.TryGetProperty("healthy", out var h) && h.ValueKind == JsonValueKind.False)
        {
            return "unhealthy";
        }
        if (row.TryGetProperty("ready", out var r) && r.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return r.ValueKind == JsonValueKind.True ? "ready" : "not ready";
        }
        return "-";
    }
}
