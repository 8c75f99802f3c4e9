using System.Text.Json;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>A <c>drover.yaml</c> beside the Procfile (docs/settings.md), with real processes.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SettingsFileTests
{
    private static string[] Start(params string[] more) =>
        ["start", "--no-timestamp", "--no-color", "-p", $"{TestPorts.RandomBase()}", .. more];

    [Fact]
    public async Task From_the_file_worker_waits_for_db_to_be_ready_shows_waiting_and_db_stops_after_worker()
    {
        // The issue's measurable through drover.yaml: db listens only after 2 s (TCP readiness probe on its PORT);
        // worker depends on it being healthy; at shutdown worker goes first. The processes write their own times.
        using var app = TempApp.Create()
            .WithProcfile(
                "db: trap 'date +%s%N > db.term; kill $py; exit 0' TERM; sleep 2; date +%s%N > db.listen; python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((\"127.0.0.1\", int(sys.argv[1]))); s.listen(); time.sleep(1000)' $PORT & py=$!; wait",
                "worker: trap 'date +%s%N > worker.exit; exit 0' TERM; date +%s%N >> worker.start; while :; do sleep 0.1; done")
            .WithFile("drover.yaml",
                "processes:",
                "  db:",
                "    readiness_probe:",
                "      tcp_socket: {}",
                "      period_seconds: 0.2",
                "  worker:",
                "    depends_on:",
                "      db: {condition: process_healthy}");
        using var drover = DroverProcess.Start(app.Root, Start());
        await drover.WaitForSystemPrefixAsync("db.1 started");

        var waiting = await PsJson.Row(app, "worker.1");
        Assert.Equal("waiting", waiting.GetProperty("state").GetString());
        Assert.Equal("waiting (db)", waiting.GetProperty("status").GetString());
        await drover.WaitForStartAsync("worker.1");
        var ready = await PsJson.Row(app, "db.1");
        Assert.Equal("running (ready)", ready.GetProperty("status").GetString());
        Assert.True(ready.GetProperty("ready").GetBoolean());
        var table = await DroverProcess.RunAsync(app.Root, "ps");
        Assert.Contains(table.StdoutLines, l => l.StartsWith("db.1", StringComparison.Ordinal) && l.Contains("running (ready)", StringComparison.Ordinal));

        drover.Signal(UnixSignal.Terminate);
        await drover.WaitForExitAsync();
        long Stamp(string file) => long.Parse(File.ReadAllLines(app.PathOf(file))[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Single(File.ReadAllLines(app.PathOf("worker.start"))); // never restarted
        Assert.True(Stamp("worker.start") > Stamp("db.listen"), "worker started before db listened");
        Assert.True(Stamp("db.term") > Stamp("worker.exit"), "db was asked to stop before worker had exited");
    }

    [Fact]
    public async Task A_types_environment_and_working_dir_reach_its_process()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo \"$GREETING $FROM_FILE $SHARED PS=$PS\"; pwd -P", "worker: echo \"worker sees '$GREETING' $SHARED\"; pwd -P")
            .WithEnv("SHARED=dotenv")
            .WithFile("web/web.env", "FROM_FILE=file")
            .WithFile("drover.yaml",
                "environment:",
                "  - SHARED=top",
                "processes:",
                "  web:",
                "    working_dir: web",
                "    env_file: web.env",
                "    environment:",
                "      GREETING: hello",
                "      PS: not-this");

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["hello file top PS=web.1", app.PathOf("web")], run.Lines.Where(l => l.Name == "web.1").Select(l => l.Text));
        Assert.Equal(["worker sees '' top", app.Root], run.Lines.Where(l => l.Name == "worker.1").Select(l => l.Text));
    }

    [Fact]
    public async Task A_missing_working_dir_is_a_failed_start()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo never")
            .WithFile("drover.yaml", "processes:", "  web:", "    working_dir: nowhere", "    availability:", "      restart: 'no'");

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("web.1 failed to start", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Lines, l => l.Name == "web.1");
    }

    [Fact]
    public async Task A_disabled_type_does_not_start_with_the_formation_but_does_when_started_by_name()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo web up; exec sleep 1000", "tool: echo tool up; exec sleep 1000")
            .WithFile("drover.yaml", "processes:", "  tool:", "    disabled: true");
        using var drover = DroverProcess.Start(app.Root, Start());
        await drover.WaitForOutputAsync("web.1", "web up");

        Assert.Equal(1, JsonDocument.Parse((await DroverProcess.RunAsync(app.Root, "ps", "--json")).Stdout)
            .RootElement.GetProperty("processes").GetArrayLength());

        var scale = await DroverProcess.RunAsync(app.Root, "scale", "tool=1");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        await drover.WaitForOutputAsync("tool.1", "tool up");

        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task A_disabled_type_named_on_the_command_line_runs()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo web up", "tool: echo tool ran")
            .WithFile("drover.yaml", "processes:", "  tool:", "    disabled: true");

        var run = await DroverProcess.RunAsync(app.Root, Start("tool"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["tool ran"], run.Lines.Where(l => l.Name == "tool.1").Select(l => l.Text));
        Assert.DoesNotContain(run.Lines, l => l.Name == "web.1");
    }

    [Fact]
    public async Task Replicas_is_the_default_count_and_m_wins()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo $PS")
            .WithFile("drover.yaml", "processes:", "  web:", "    replicas: 3");

        var three = await DroverProcess.RunAsync(app.Root, Start());
        var one = await DroverProcess.RunAsync(app.Root, Start("-m", "web=1"));

        Assert.Equal(["web.1", "web.2", "web.3"], three.Lines.Where(l => l.Name.StartsWith("web.", StringComparison.Ordinal)).Select(l => l.Text).Order());
        Assert.Equal(["web.1"], one.Lines.Where(l => l.Name.StartsWith("web.", StringComparison.Ordinal)).Select(l => l.Text));
    }

    [Fact]
    public async Task Exit_on_failure_stops_the_formation_and_drover_exits_with_the_code()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo web up; exec sleep 1000", "migrate: sleep 0.5; exit 7")
            .WithFile("drover.yaml", "processes:", "  migrate:", "    availability:", "      restart: exit_on_failure");
        using var drover = DroverProcess.Start(app.Root, Start());

        Assert.Equal(7, await drover.WaitForExitAsync());
        Assert.Contains("migrate.1 failed and its type has restart: exit_on_failure: stopping the formation", drover.TextOf("system"));
        Assert.Contains("web.1 killed by SIGTERM", drover.TextOf("system"));
    }

    [Fact]
    public async Task After_max_restarts_the_instance_is_given_up_in_ps_and_restart_brings_it_back()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo web up; exec sleep 1000", "flaky: echo trying; exit 3")
            .WithFile("drover.yaml", "processes:", "  flaky:", "    availability:", "      backoff_seconds: 0.1", "      max_restarts: 2");
        using var drover = DroverProcess.Start(app.Root, Start());
        await drover.WaitForSystemAsync("flaky.1 given up after 2 restarts (max_restarts); `drover restart flaky.1` starts it again");

        var row = await PsJson.Row(app, "flaky.1");
        Assert.Equal(("given-up", 2, 3), (row.GetProperty("state").GetString(), row.GetProperty("restarts").GetInt32(), row.GetProperty("lastExitCode").GetInt32()));
        Assert.Equal(3, drover.TextOf("flaky.1").Count(t => t == "trying"));
        var table = await DroverProcess.RunAsync(app.Root, "ps");
        Assert.Contains(table.StdoutLines, l => l.StartsWith("flaky.1", StringComparison.Ordinal) && l.Contains(" given-up ", StringComparison.Ordinal));

        var restart = await DroverProcess.RunAsync(app.Root, "restart", "flaky.1");
        Assert.True(restart.ExitCode is 0 or 1, restart.ToString());
        await drover.WaitForOutputAsync("flaky.1", "trying", occurrence: 4);
        await drover.WaitForSystemAsync("flaky.1 given up after 2 restarts (max_restarts); `drover restart flaky.1` starts it again", occurrence: 2);
        Assert.Equal(6, drover.TextOf("flaky.1").Count(t => t == "trying"));

        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task Check_prints_the_settings_in_effect_and_the_start_order()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: serve", "db: run-db", "migrate: migrate")
            .WithFile("drover.yaml",
                "processes:",
                "  web:",
                "    depends_on:",
                "      db: {condition: process_healthy}",
                "      migrate: {condition: process_completed_successfully}",
                "    readiness_probe:",
                "      http_get: {path: /up}",
                "  migrate:",
                "    depends_on: [db]",
                "    availability: {restart: 'no'}",
                "  db:",
                "    readiness_probe:",
                "      tcp_socket: {}",
                "      period_seconds: 1",
                "    shutdown: {signal: SIGINT, timeout_seconds: 20}");

        var run = await DroverProcess.RunAsync(app.Root, "check");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"settings  {app.PathOf("drover.yaml")}", run.StdoutLines);
        Assert.Contains(run.StdoutLines, l => l.Trim() == "depends on: db (process_healthy), migrate (process_completed_successfully)");
        Assert.Contains(run.StdoutLines, l => l.Trim() == "readiness: HTTP GET http://127.0.0.1:$PORT/up expecting 2xx or 3xx, every 10 s (first after 0 s), timeout 1 s, 1 to pass, 3 to fail");
        Assert.Contains(run.StdoutLines, l => l.Trim() == "stop: SIGINT, then SIGKILL after 20 s");
        Assert.Contains(run.StdoutLines, l => l.Trim() == "restart: no");
        Assert.Contains("start order  1: db  2: migrate  3: web  (shutdown: the reverse)", run.StdoutLines);
    }

    [Fact]
    public async Task A_bad_settings_file_is_exit_2_with_file_line_and_key_and_nothing_starts()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo never")
            .WithFile("drover.yaml", "processes:", "  web:", "    replicas: -1", "    depends_on: [db]");

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{app.PathOf("drover.yaml")}:3:15: web.replicas: must not be negative, not -1", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("started", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_names_the_file_for_check_too()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: serve")
            .WithFile("conf/prod.yaml", "processes:", "  web:", "    replicas: 4");

        var run = await DroverProcess.RunAsync(app.Root, "check", "--settings", "conf/prod.yaml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StdoutLines, l => l.StartsWith("web  x4", StringComparison.Ordinal));
    }
}
