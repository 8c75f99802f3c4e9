using System.Text.Json;

namespace Drover.Tui.Model;

/// <summary>
/// A column of the process table: its header, its width (0: whatever is left), and how a row's JSON gives its
/// text. <paramref name="Shown"/> decides, from all rows, whether it appears at all (the readiness column only once
/// the control API reports readiness).
/// </summary>
internal sealed record Column(string Header, int Width, bool Right, Func<JsonElement, string> Value, Func<IReadOnlyList<JsonElement>, bool>? Shown = null);
