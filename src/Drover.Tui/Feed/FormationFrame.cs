using System.Text.Json;

namespace Drover.Tui.Feed;

/// <summary>
/// One frame of GET /v1/events. Rows are kept as JSON, not as a fixed record: a field the control API adds (the
/// probes' readiness, say) is one more column (<see cref="Model.Columns"/>), with nothing to change here.
/// </summary>
internal sealed record FormationFrame(string Phase, IReadOnlyList<string> Types, IReadOnlyList<JsonElement> Rows)
{
    /// <summary>Parses one line of the stream.</summary>
    /// <exception cref="JsonException">It is not a frame.</exception>
    public static FormationFrame Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        string phase = root.TryGetProperty("phase", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        var types = root.TryGetProperty("types", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
        var rows = root.TryGetProperty("processes", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(e => e.Clone()).ToList()
            : [];
        return new FormationFrame(phase, types, rows);
    }

    /// <summary>A string field of a row, or null.</summary>
    public static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
