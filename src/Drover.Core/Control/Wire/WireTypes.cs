using System.Text.Json;
using System.Text.Json.Serialization;

namespace Drover.Core.Control.Wire;

/// <summary>One row of <c>drover ps</c> on the wire (GET /v1/ps).</summary>
public sealed record PsEntry(
    string Name,
    string Type,
    int Index,
    string State,
    int? Pid,
    double? UptimeSeconds,
    int Restarts,
    int? Port,
    int? LastExitCode,
    string? LastExitSignal,
    double? CpuPercent,
    long? RssBytes,
    string Command);

/// <summary>The answer to every request that changes the formation: the formation afterwards.</summary>
public sealed record FormationResponse(IReadOnlyList<PsEntry> Processes);

/// <summary>POST /v1/scale: the new count of each named type.</summary>
public sealed record ScaleRequest(Dictionary<string, int> Counts);

/// <summary>POST /v1/restart, /v1/stop, /v1/start: a type (<c>web</c>), an instance (<c>web.2</c>) or null for all.</summary>
public sealed record TargetRequest(string? Target);

/// <summary>GET /v1/status: which Drover this is, and its log directory (--log-dir) if it writes one.</summary>
public sealed record StatusResponse(int Pid, string Root, string Procfile, string Version, string? LogDir = null);

/// <summary>POST /v1/logs/rotate: the log directory and the files the logs were rotated to.</summary>
public sealed record RotateResponse(string LogDir, IReadOnlyList<string> Rotated);

/// <summary>POST /v1/dashboard: the URL (with its access token) of the formation's web dashboard.</summary>
public sealed record DashboardResponse(string Url);

/// <summary>Any refused request.</summary>
public sealed record ErrorResponse(string Error);

/// <summary>Source-generated JSON for the wire types (no reflection, so it works in Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(PsEntry))]
[JsonSerializable(typeof(List<PsEntry>))]
[JsonSerializable(typeof(FormationResponse))]
[JsonSerializable(typeof(FormationEvent))]
[JsonSerializable(typeof(ScaleRequest))]
[JsonSerializable(typeof(TargetRequest))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(DashboardResponse))]
[JsonSerializable(typeof(RotateResponse))]
public sealed partial class WireJson : JsonSerializerContext;
