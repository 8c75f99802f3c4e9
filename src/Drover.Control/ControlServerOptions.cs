using Drover.Core.Control;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Core.Terminals;

namespace Drover.Control;

/// <summary>What the control server serves.</summary>
/// <param name="SocketPath">The Unix socket to listen on.</param>
/// <param name="Controller">The formation's control operations.</param>
/// <param name="Log">Recent and live output.</param>
/// <param name="Stats">CPU and memory of process groups.</param>
/// <param name="Status">Who this Drover is.</param>
/// <param name="AllowedUid">The only user (besides root) allowed to connect.</param>
public sealed record ControlServerOptions(
    string SocketPath,
    FormationController Controller,
    LogBook Log,
    IProcessStats Stats,
    Core.Control.Wire.StatusResponse Status,
    uint AllowedUid)
{
    /// <summary>Starts the web dashboard unless it runs and returns its URL (POST /v1/dashboard); null when this Drover has none.</summary>
    public Func<Task<string>>? StartDashboard { get; init; }

    /// <summary>Rotates the log files now and returns the rotated files' names (POST /v1/logs/rotate); null without --log-dir.</summary>
    public Func<Task<IReadOnlyList<string>>>? RotateLogs { get; init; }

    /// <summary>The processes' pseudo-terminals, for <c>drover attach</c> (GET /v1/attach); null when none run on one.</summary>
    public ITerminals? Terminals { get; init; }
}
