using System.Net;
using System.Net.Http.Headers;
using Drover.Cli.Tests.Support;
using Drover.Dashboard.Tests.Support;

namespace Drover.Dashboard.Tests;

/// <summary>GET /metrics against a real formation: the Prometheus text parses and says what ps says.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MetricsTests
{
    private static async Task<(Dictionary<string, double> Samples, Dictionary<string, string> Types)> ScrapeAsync(RunningDashboard dashboard)
    {
        using var http = Http.Client(dashboard.Base);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dashboard.Token);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string P(string metric, string instance) => $"{metric}{{instance=\"{instance}\",type=\"{instance.Split('.')[0]}\"}}";

    [Fact]
    public async Task Metrics_parse_and_match_the_formation()
    {
        using var app = TempApp.Create().WithProcfile(
            // Burns a little CPU, then sleeps under the same pid.
            "web: i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo busy done; exec sleep 1000",
            "worker: exec sleep 1000",
            "crash: echo bye; exit 3");
        using var dashboard = await RunningDashboard.StartAsync(app, "-m", "web=2,worker=1,crash=1", "--max-restart-delay", "1");
        await dashboard.Drover.WaitForOutputAsync("web.1", "busy done");
        await dashboard.Drover.WaitForOutputAsync("web.2", "busy done");
        await dashboard.Drover.WaitForSystemAsync("crash.1 exited with code 3", occurrence: 2);
        var stop = await DroverProcess.RunAsync(app.Root, "stop", "worker.1");
        Assert.True(stop.ExitCode == 0, stop.ToString());

        var (samples, types) = await ScrapeAsync(dashboard);

        Assert.Equal("gauge", types["drover_process_up"]);
        Assert.Equal("counter", types["drover_process_restarts_total"]);
        Assert.Equal("counter", types["drover_process_cpu_seconds_total"]);
        Assert.Equal("gauge", types["drover_process_resident_memory_bytes"]);
        Assert.Equal("gauge", types["drover_process_last_exit_code"]);
        Assert.Equal("gauge", types["drover_type_desired"]);
        Assert.Equal("gauge", types["drover_type_running"]);
        Assert.Equal("gauge", types["drover_process_ready"]);
        Assert.Equal("gauge", types["drover_process_healthy"]);
        var ps = await dashboard.PsAsync();
        // crash.1 changes state about every second, so ps (read after the scrape) may already see its next state:
        // its metrics are checked against each other within the one scrape instead.
        Assert.Equal(samples[P("drover_process_up", "crash.1")], samples[P("drover_process_ready", "crash.1")]);
        Assert.Equal(samples[P("drover_process_up", "crash.1")], samples[P("drover_process_healthy", "crash.1")]);
        foreach (var row in ps.Where(r => r.GetProperty("name").GetString() != "crash.1"))
        {
            string name = row.GetProperty("name").GetString()!;
            bool running = row.GetProperty("state").GetString() == "running";
            Assert.Equal(running ? 1 : 0, samples[P("drover_process_up", name)]);
            // No probes here: ready and healthy while running.
            Assert.Equal(running ? 1 : 0, samples[P("drover_process_ready", name)]);
            Assert.Equal(running ? 1 : 0, samples[P("drover_process_healthy", name)]);
            Assert.Equal(running, row.GetProperty("ready").GetBoolean());
            Assert.Equal(row.GetProperty("state").GetString(), row.GetProperty("status").GetString());
        }
        foreach (string web in new[] { "web.1", "web.2" })
        {
            Assert.Equal(1, samples[P("drover_process_up", web)]);
            Assert.Equal(0, samples[P("drover_process_restarts_total", web)]);
            Assert.True(samples[P("drover_process_cpu_seconds_total", web)] > 0, $"{web} burnt CPU, but cpu_seconds_total is 0");
            Assert.True(samples[P("drover_process_resident_memory_bytes", web)] > 0);
            Assert.False(samples.ContainsKey(P("drover_process_last_exit_code", web)), $"{web} never exited");
        }
        Assert.Equal(0, samples[P("drover_process_up", "worker.1")]);
        Assert.Equal(128 + 15, samples[P("drover_process_last_exit_code", "worker.1")]); // stopped by SIGTERM
        Assert.True(samples[P("drover_process_restarts_total", "crash.1")] >= 1);
        Assert.Equal(3, samples[P("drover_process_last_exit_code", "crash.1")]);
        Assert.Equal(2, samples["drover_type_desired{type=\"web\"}"]);
        Assert.Equal(2, samples["drover_type_running{type=\"web\"}"]);
        Assert.Equal(0, samples["drover_type_desired{type=\"worker\"}"]);
        Assert.Equal(0, samples["drover_type_running{type=\"worker\"}"]);
        Assert.Equal(1, samples["drover_type_desired{type=\"crash\"}"]);
    }

    [Fact]
    public async Task An_instance_removed_by_scaling_down_leaves_the_metrics()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app, "-m", "web=2");
        await dashboard.Drover.WaitForStartAsync("web.2");
        Assert.True((await ScrapeAsync(dashboard)).Samples.ContainsKey(P("drover_process_up", "web.2")));

        var down = await DroverProcess.RunAsync(app.Root, "scale", "web=1");
        Assert.True(down.ExitCode == 0, down.ToString());

        var (samples, _) = await ScrapeAsync(dashboard);
        Assert.False(samples.ContainsKey(P("drover_process_up", "web.2")));
        Assert.Equal(1, samples[P("drover_process_up", "web.1")]);
        Assert.Equal(1, samples["drover_type_desired{type=\"web\"}"]);
    }

    [Fact]
    public async Task A_given_up_instance_shows_in_its_metric_until_restarted_by_hand()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: exec sleep 1000", "flaky: echo bye; exit 3")
            .WithFile("drover.yaml", "processes:", "  flaky:", "    availability: {max_restarts: 1, backoff_seconds: 0.1}");
        using var dashboard = await RunningDashboard.StartAsync(app);
        await dashboard.Drover.WaitForSystemAsync("flaky.1 given up after 1 restart (max_restarts); `drover restart flaky.1` starts it again");

        var (samples, types) = await ScrapeAsync(dashboard);

        Assert.Equal("gauge", types["drover_process_given_up"]);
        Assert.Equal(1, samples[P("drover_process_given_up", "flaky.1")]);
        Assert.Equal(0, samples[P("drover_process_given_up", "web.1")]);
        Assert.Equal("given-up", (await dashboard.PsAsync()).Single(r => r.GetProperty("name").GetString() == "flaky.1").GetProperty("state").GetString());
    }
}
