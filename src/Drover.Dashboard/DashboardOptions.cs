using System.Net;
using Drover.Core.Control;
using Drover.Core.Control.Wire;
using Drover.Core.Output;
using Drover.Core.Supervision;

namespace Drover.Dashboard;

/// <summary>What the dashboard serves, and where.</summary>
/// <param name="Listen">The TCP address and port (0: any free port).</param>
/// <param name="Controller">The formation's control operations.</param>
/// <param name="Log">Recent and live output.</param>
/// <param name="Stats">CPU and memory of process groups.</param>
/// <param name="Status">Who this Drover is.</param>
public sealed record DashboardOptions(
    IPEndPoint Listen,
    FormationController Controller,
    LogBook Log,
    IProcessStats Stats,
    StatusResponse Status)
{
    /// <summary>How often CPU% and RSS are sampled for the table and the sparklines.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many samples each sparkline keeps (at the default interval: 6 minutes).</summary>
    public int HistoryPoints { get; init; } = 180;
}
