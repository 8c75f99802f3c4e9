using System.Text.Json;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// Probes from drover.yaml on real processes (docs/probes.md): an HTTP readiness probe and a ready log line gating
/// a dependent, and a liveness probe restarting its instance with the reason in the output and in ps.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProbesEndToEndTests
{
    private static string[] Start() => ["start", "--no-timestamp", "--no-color", "-p", $"{TestPorts.RandomBase()}"];

    [Fact]
    public async Task A_worker_waits_for_an_http_readiness_probe_and_a_ready_log_line()
    {
        using var app = TempApp.Create()
            .WithProcfile(
                "db: sleep 0.5; echo 'db is ready'; exec sleep 1000",
                "web: sleep 2; date +%s%N > web.listen; exec python3 -m http.server $PORT --bind 127.0.0.1",
                "worker: date +%s%N >> worker.start; exec sleep 1000")
            .WithFile("drover.yaml",
                "processes:",
                "  db:",
                "    ready_log_line: 'is ready$'",
                "  web:",
                "    readiness_probe:",
                "      http_get: {path: /}",
                "      period_seconds: 0.2",
                "  worker:",
                "    depends_on:",
                "      db: {condition: process_log_ready}",
                "      web: {condition: process_healthy}");
        using var drover = DroverProcess.Start(app.Root, Start());

        await drover.WaitForStartAsync("worker.1");

        long listen = long.Parse(File.ReadAllText(app.PathOf("web.listen")).Trim());
        var starts = File.ReadAllLines(app.PathOf("worker.start"));
        Assert.Single(starts);
        Assert.True(long.Parse(starts[0]) > listen, "worker started before web listened");
        var lines = drover.Lines.ToList();
        int dbReady = lines.FindIndex(l => l.Name == "db.1" && l.Text == "db is ready");
        int workerStart = lines.FindIndex(l => l.Name == OutputLine.System && l.Text.StartsWith("worker.1 started", StringComparison.Ordinal));
        Assert.True(dbReady >= 0 && workerStart > dbReady, string.Join('\n', lines.Select(l => $"{l.Name} | {l.Text}")));
        Assert.True((await PsJson.Row(app, "web.1")).GetProperty("ready").GetBoolean());
        Assert.True((await PsJson.Row(app, "db.1")).GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task A_failing_liveness_probe_restarts_the_instance_with_the_reason_in_the_output_and_in_ps()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: trap 'echo stopping; exit 0' TERM; echo up; while :; do sleep 0.1; done")
            .WithFile("drover.yaml",
                "processes:",
                "  web:",
                "    liveness_probe:",
                "      exec: {command: 'test ! -e sick'}",
                "      period_seconds: 0.2",
                "      failure_threshold: 2");
        using var drover = DroverProcess.Start(app.Root, Start());
        int first = await drover.WaitForStartAsync("web.1");
        await drover.WaitForOutputAsync("web.1", "up");
        Assert.True((await PsJson.Row(app, "web.1")).GetProperty("healthy").GetBoolean());

        File.WriteAllText(app.PathOf("sick"), "");
        await drover.WaitForSystemPrefixAsync("web.1 liveness probe failed 2 times: ");
        File.Delete(app.PathOf("sick"));

        // Stopped gracefully (its TERM trap ran), then started again.
        await drover.WaitForOutputAsync("web.1", "stopping");
        int second = await drover.WaitForStartAsync("web.1", occurrence: 2);
        Assert.NotEqual(first, second);
        Assert.False(ProcessTable.IsRunning(first));
        var row = await PsJson.Row(app, "web.1");
        Assert.Equal(1, row.GetProperty("restarts").GetInt32());
        Assert.StartsWith("liveness probe failed 2 times: ", row.GetProperty("note").GetString(), StringComparison.Ordinal);
        var table = await DroverProcess.RunAsync(app.Root, "ps");
        Assert.Contains(table.StdoutLines, l => l.StartsWith("web.1", StringComparison.Ordinal) && l.Contains("liveness probe failed", StringComparison.Ordinal));
    }
}
