using System.Text.Json;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// `drover reload` after the settings file was edited (docs/settings.md, "Reload"), with real processes: what the
/// process is made from recreates it, rolling and waiting for readiness; policies apply to the running process.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReloadSettingsTests
{
    // Listens on $PORT after a moment and says which GREETING it has.
    private const string Listener =
        "sleep 0.3; exec perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new(LocalAddr=>\"127.0.0.1\",LocalPort=>$ENV{PORT},Listen=>50,ReuseAddr=>1) or die \"listen: $!\"; $|=1; print \"greeting $ENV{GREETING}\\n\"; while($c=$s->accept){close $c}'";

    private static async Task WaitUntilReadyAsync(TempApp app, params string[] names)
    {
        var deadline = DateTime.UtcNow + DroverProcess.Patience;
        while (true)
        {
            var rows = await PsJson.Rows(app);
            if (names.All(n => PsJson.Row(rows, n).GetProperty("ready").GetBoolean()))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not ready in time: {string.Join(", ", rows.Select(r => r.ToString()))}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_changed_environment_in_the_settings_file_recreates_each_instance_in_turn_once_the_one_before_is_ready()
    {
        using var app = TempApp.Create()
            .WithProcfile($"web: {Listener}")
            .WithFile("drover.yaml", "processes:", "  web:", "    environment:", "      GREETING: v1",
                "    readiness_probe:", "      tcp_socket: {}", "      period_seconds: 0.2");
        using var drover = DroverProcess.Start(app.Root, "start", "-m", "web=2", "-p", $"{TestPorts.RandomBase()}", "--no-timestamp", "--no-color");
        int web1 = await drover.WaitForStartAsync("web.1");
        int web2 = await drover.WaitForStartAsync("web.2");
        await WaitUntilReadyAsync(app, "web.1", "web.2");

        app.WithFile("drover.yaml", "processes:", "  web:", "    environment:", "      GREETING: v2",
            "    readiness_probe:", "      tcp_socket: {}", "      period_seconds: 0.2");
        var reload = await DroverProcess.RunAsync(app.Root, "reload");

        Assert.True(reload.ExitCode == 0, reload.ToString());
        await drover.WaitForOutputAsync("web.1", "greeting v2");
        await drover.WaitForOutputAsync("web.2", "greeting v2");
        var rows = await PsJson.Rows(app);
        Assert.NotEqual(web1, PsJson.Row(rows, "web.1").GetProperty("pid").GetInt32());
        Assert.NotEqual(web2, PsJson.Row(rows, "web.2").GetProperty("pid").GetInt32());
        Assert.False(ProcessTable.IsRunning(web1));
        Assert.False(ProcessTable.IsRunning(web2));
        // Rolling: web.2's old process was stopped only after web.1's replacement was up.
        var lines = drover.Lines.ToList();
        int web1Up = lines.FindIndex(l => l.Name == "web.1" && l.Text == "greeting v2");
        int web2Stopped = lines.FindIndex(l => l.Name == OutputLine.System && l.Text.StartsWith("web.2 ", StringComparison.Ordinal)
            && (l.Text.Contains("killed by", StringComparison.Ordinal) || l.Text.Contains("exited", StringComparison.Ordinal)));
        Assert.True(web1Up >= 0 && web2Stopped > web1Up, string.Join('\n', lines.Select(l => $"{l.Name} | {l.Text}")));
    }

    [Fact]
    public async Task A_changed_restart_policy_and_stop_signal_apply_to_the_running_process_without_restarting_it()
    {
        using var app = TempApp.Create()
            .WithProcfile(
                "web: trap 'echo got INT; exit 0' INT; trap 'echo got TERM; exit 0' TERM; echo up; while :; do sleep 0.1; done",
                "keep: exec sleep 1000")
            .WithFile("drover.yaml", "processes:", "  web:", "    availability:", "      restart: 'no'");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}", "--no-timestamp", "--no-color");
        int web = await drover.WaitForStartAsync("web.1");
        await drover.WaitForOutputAsync("web.1", "up");

        app.WithFile("drover.yaml", "processes:", "  web:", "    availability:", "      restart: always",
            "    shutdown: {signal: 2}");
        var reload = await DroverProcess.RunAsync(app.Root, "reload");

        Assert.True(reload.ExitCode == 0, reload.ToString());
        Assert.Equal(web, PsJson.Row(await PsJson.Rows(app), "web.1").GetProperty("pid").GetInt32());
        Assert.True(ProcessTable.IsRunning(web));
        // The new stop signal, on the process that was running before the reload.
        var stop = await DroverProcess.RunAsync(app.Root, "stop", "web.1");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        await drover.WaitForOutputAsync("web.1", "got INT");
        Assert.DoesNotContain("got TERM", drover.TextOf("web.1"));
        // The new restart policy: an exit with code 0 is restarted ('no' would have left it exited).
        var start = await DroverProcess.RunAsync(app.Root, "start", "web.1");
        Assert.True(start.ExitCode == 0, start.ToString());
        int again = await drover.WaitForStartAsync("web.1", occurrence: 2);
        await drover.WaitForOutputAsync("web.1", "up", occurrence: 2);
        Assert.True(Libc.Send(again, UnixSignal.Terminate));
        await drover.WaitForOutputAsync("web.1", "got TERM");
        await drover.WaitForStartAsync("web.1", occurrence: 3);
    }

    [Fact]
    public async Task A_new_readiness_probe_that_never_passes_stops_the_reload_at_the_first_instance()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: exec sleep 1000")
            .WithFile("drover.yaml", "processes:", "  web:", "    readiness_probe:", "      exec: {command: 'true'}", "      period_seconds: 0.2");
        using var drover = DroverProcess.Start(app.Root, "start", "-m", "web=2", "--ready-timeout", "3", "-p", $"{TestPorts.RandomBase()}", "--no-timestamp", "--no-color");
        await drover.WaitForStartAsync("web.1");
        int web2 = await drover.WaitForStartAsync("web.2");
        await WaitUntilReadyAsync(app, "web.1", "web.2");

        app.WithFile("drover.yaml", "processes:", "  web:", "    readiness_probe:", "      exec: {command: 'false'}", "      period_seconds: 0.2");
        var reload = await DroverProcess.RunAsync(app.Root, "reload");

        Assert.Equal(1, reload.ExitCode);
        Assert.Contains("web.1 did not pass its readiness probe within 3 s", reload.Stderr, StringComparison.Ordinal);
        var rows = await PsJson.Rows(app);
        Assert.Equal(web2, PsJson.Row(rows, "web.2").GetProperty("pid").GetInt32());
        Assert.True(PsJson.Row(rows, "web.2").GetProperty("ready").GetBoolean());
    }
}
