using System.Text.Json;
using System.Text.Json.Serialization;
using Drover.Core.Control.Wire;

namespace Drover.Dashboard;

/// <summary>The formation as the page shows it (server-sent event <c>ps</c>).</summary>
/// <param name="At">When it was taken (Unix milliseconds).</param>
/// <param name="Sample">True for the periodic samples that the page adds to its sparklines.</param>
/// <param name="Types">Every type of the Procfile, also those with no instance (so they can be scaled up).</param>
/// <param name="Processes">One row per instance, as <c>drover ps --json</c> has them.</param>
internal sealed record FormationFrame(long At, bool Sample, IReadOnlyList<string> Types, IReadOnlyList<PsEntry> Processes);

/// <summary>Recent samples of one instance, oldest first (server-sent event <c>history</c>, on connect).</summary>
internal sealed record Series(List<long> At, List<double?> Cpu, List<long?> Rss, List<int> Restarts);

/// <summary>Lines written since the previous batch (server-sent event <c>log</c>).</summary>
/// <param name="Lines">The lines, oldest first.</param>
/// <param name="Dropped">Lines left out before these because the page could not be sent them all.</param>
internal sealed record LogBatch(IReadOnlyList<LogLine> Lines, long Dropped);

/// <summary>One line of output.</summary>
/// <param name="T">When Drover read it (Unix milliseconds).</param>
/// <param name="N">Who wrote it (<c>web.1</c>, <c>system</c>).</param>
/// <param name="X">The text, decoded as UTF-8.</param>
/// <param name="P">The prefix, <c>HH:MM:SS web.1  | </c>, by the same rule as stdout and `drover logs`
/// (<see cref="Drover.Core.Output.PrefixFormatter.Plain"/>): the page shows it as it comes.</param>
internal sealed record LogLine(long T, string N, string X, string P);

/// <summary>GET /api/session: what the page needs to talk back.</summary>
internal sealed record SessionInfo(string Csrf, StatusResponse Drover);

/// <summary>The answer to an accepted control request.</summary>
internal sealed record ActionResult(string Message);

/// <summary>One line found by a search of the log files.</summary>
/// <param name="T">Its time (Unix milliseconds).</param>
/// <param name="N">Who wrote it.</param>
/// <param name="X">The text, decoded as UTF-8.</param>
/// <param name="M">What matched: [start, length] in characters of <paramref name="X"/>.</param>
internal sealed record SearchHit(long T, string N, string X, IReadOnlyList<int[]> M);

/// <summary>GET /api/logs/search: the hits, oldest first, or why there are none.</summary>
internal sealed record SearchResult(IReadOnlyList<SearchHit> Hits, string? Error);

/// <summary>Source-generated JSON (no reflection, so it works in Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(FormationFrame))]
[JsonSerializable(typeof(Dictionary<string, Series>))]
[JsonSerializable(typeof(LogBatch))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(ActionResult))]
[JsonSerializable(typeof(SearchResult))]
internal sealed partial class DashboardJson : JsonSerializerContext;
