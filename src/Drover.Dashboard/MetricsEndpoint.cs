using Drover.Core.Control;
using Drover.Core.Supervision;
using Microsoft.AspNetCore.Http;
using Prometheus;

namespace Drover.Dashboard;

/// <summary>
/// GET /metrics in Prometheus text format (docs/dashboard.md lists the metrics). The states come from the
/// formation's live view (kept by the supervisor's typed changes, <see cref="FormationController.View"/>) and the
/// usage from /proc, both read at scrape time into a registry made for that scrape: an instance removed by scaling down then
/// disappears from the output, and a replaced process's counters start again from its own figures (which
/// Prometheus reads as a counter reset), with nothing kept between scrapes.
/// </summary>
internal static class MetricsEndpoint
{
    private static readonly string[] InstanceLabels = ["instance", "type"];
    private static readonly string[] TypeLabels = ["type"];

    public static async Task Serve(HttpContext ctx, FormationController controller, IProcessStats stats)
    {
        IReadOnlyList<InstanceSnapshot> snapshot;
        try
        {
            snapshot = await controller.View.CurrentAsync();
        }
        catch (ControlException e)
        {
            ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await ctx.Response.WriteAsync($"drover: {e.Message}\n");
            return;
        }
        var usage = stats.Sample();
        var registry = Metrics.NewCustomRegistry();
        Fill(Metrics.WithCustomRegistry(registry), controller.TypeNames, snapshot, usage);
        ctx.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await registry.CollectAndExportAsTextAsync(ctx.Response.Body, ctx.RequestAborted);
    }

    private static void Fill(MetricFactory factory, IReadOnlyList<string> types, IReadOnlyList<InstanceSnapshot> snapshot, IReadOnlyDictionary<int, GroupUsage> usage)
    {
        var up = factory.CreateGauge("drover_process_up", "1 while the instance's process is running, else 0.", InstanceLabels);
        var restarts = factory.CreateCounter("drover_process_restarts_total", "Times the instance was restarted after its process exited.", InstanceLabels);
        var cpu = factory.CreateCounter("drover_process_cpu_seconds_total", "User and system CPU time of the instance's live process group.", InstanceLabels);
        var rss = factory.CreateGauge("drover_process_resident_memory_bytes", "Resident memory of the instance's process group.", InstanceLabels);
        var givenUp = factory.CreateGauge("drover_process_given_up", "1 while the instance is given up (its type's max_restarts reached) until started by hand, else 0.", InstanceLabels);
        var exit = factory.CreateGauge("drover_process_last_exit_code", "Exit code of the instance's previous process; 128+N when signal N ended it.", InstanceLabels);
        var ready = factory.CreateGauge("drover_process_ready", "1 while the instance runs and is ready (its readiness probe and ready log line passed; without them, once running), else 0.", InstanceLabels);
        var healthy = factory.CreateGauge("drover_process_healthy", "1 while the instance runs and its liveness probe (if any) has not failed, else 0.", InstanceLabels);
        var desired = factory.CreateGauge("drover_type_desired", "Instances of the type in the formation, less those stopped on request.", TypeLabels);
        var running = factory.CreateGauge("drover_type_running", "Instances of the type whose process is running.", TypeLabels);

        foreach (string type in types.Concat(snapshot.Select(s => s.Type)).Distinct(StringComparer.Ordinal))
        {
            var ofType = snapshot.Where(s => s.Type == type).ToList();
            desired.WithLabels(type).Set(ofType.Count(s => s.State != InstanceState.Stopped));
            running.WithLabels(type).Set(ofType.Count(s => s.State == InstanceState.Running));
        }
        foreach (var s in snapshot)
        {
            string[] labels = [s.Name, s.Type];
            up.WithLabels(labels).Set(s.State == InstanceState.Running ? 1 : 0);
            givenUp.WithLabels(labels).Set(s.State == InstanceState.GivenUp ? 1 : 0);
            ready.WithLabels(labels).Set(s.Ready ? 1 : 0);
            healthy.WithLabels(labels).Set(s.State == InstanceState.Running && s.Healthy != false ? 1 : 0);
            restarts.WithLabels(labels).IncTo(s.Restarts);
            if (s.Pid is int pid && usage.TryGetValue(pid, out var u))
            {
                cpu.WithLabels(labels).IncTo(u.Cpu.TotalSeconds);
                rss.WithLabels(labels).Set(u.RssBytes);
            }
            if (s.LastExit is { } last)
            {
                exit.WithLabels(labels).Set(last.ShellCode);
            }
        }
    }
}
