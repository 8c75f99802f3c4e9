using System.Text.Json;
using System.Text.Json.Serialization;

namespace Drover.Core.Control.Wire;

/// <summary>One row of <c>drover ps</c> on the wire (GET /v1/ps).</summary>
/// <param name="Name">e.g. <c>web.2</c>.</param>
/// <param name="Type">The process type.</param>
/// <param name="Index">The 1-based instance number.</param>
/// <param name="State">The state machine's state: pending, waiting, running, backoff, stopping, stopped, exited.</param>
/// <param name="Pid">The process (and group) id while it runs or stops.</param>
/// <param name="UptimeSeconds">Seconds since it started, while it runs.</param>
/// <param name="Restarts">Restarts after exits (and liveness failures).</param>
/// <param name="Port">Its PORT.</param>
/// <param name="LastExitCode">The code its last process exited with.</param>
/// <param name="LastExitSignal">The signal that ended its last process.</param>
/// <param name="CpuPercent">CPU of its group since the previous sample.</param>
/// <param name="RssBytes">Resident memory of its group.</param>
/// <param name="Command">The command line.</param>
/// <param name="Ready">Running and ready: its readiness probe and ready log line passed (each when it has one).</param>
/// <param name="Healthy">By its liveness probe while running; null without one or when not running.</param>
/// <param name="WaitingFor">While <c>waiting</c>: the types it waits for.</param>
/// <param name="Status">The state as people read it: <c>waiting (db)</c>, <c>running (ready, healthy)</c>.</param>
/// <param name="Note">The last thing worth telling (a liveness restart, a dependency that cannot be met); null when nothing.</param>
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
    string Command,
    bool Ready = false,
    bool? Healthy = null,
    IReadOnlyList<string>? WaitingFor = null,
    string? Status = null,
    string? Note = null);

/// <summary>The answer to every request that changes the formation: the formation afterwards.</summary>
public sealed record FormationResponse(IReadOnlyList<PsEntry> Processes);

/// <summary>POST /v1/scale: the new count of each named type.</summary>
public sealed record ScaleRequest(Dictionary<string, int> Counts);

/// <summary>POST /v1/restart, /v1/stop, /v1/start: a type (<c>web</c>), an instance (<c>web.2</c>) or null for all.</summary>
public sealed record TargetRequest(string? Target);

/// <summary>GET /v1/status: which Drover this is, and its log directory (--log-dir) if it writes one.</summary>
public sealed record StatusResponse(int Pid, string Root, string Procfile, string Version, string? LogDir = null)
{
    /// <summary>The types' own log files (<c>log_location</c>), type to absolute path; null or empty: none.</summary>
    public IReadOnlyDictionary<string, string>? TypeLogFiles { get; init; }
}

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
