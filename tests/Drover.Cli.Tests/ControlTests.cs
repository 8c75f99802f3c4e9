using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Drover.Cli.Tests.Support;
using Drover.Core.Control;

namespace Drover.Cli.Tests;

/// <summary>`drover ps / scale / restart / stop / start / logs / reload` against a real running formation.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ControlTests
{
    // A TCP listener on $PORT that takes a moment to come up, so a rolling restart has something to wait for.
    private const string Listener =
        "sleep 0.3; exec perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new(LocalAddr=>\"127.0.0.1\",LocalPort=>$ENV{PORT},Listen=>50,ReuseAddr=>1) or die \"listen: $!\"; $|=1; print \"listening on $ENV{PORT}\\n\"; while($c=$s->accept){close $c}'";

    private static Task<DroverResult> Drover(TempApp app, params string[] args) => DroverProcess.RunAsync(app.Root, args);

    [Fact]
    public async Task Ps_lists_every_instance_with_pid_state_and_port()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile("web: echo up; exec sleep 1000", "worker: echo up; exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-m", "web=2,worker=1", "-p", $"{port}");
        int web2 = await drover.WaitForStartAsync("web.2");
        await drover.WaitForStartAsync("worker.1");

        var rows = await PsJson.Rows(app);

        Assert.Equal(["web.1", "web.2", "worker.1"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(web2, PsJson.Row(rows, "web.2").GetProperty("pid").GetInt32());
        Assert.Equal(port + 100, PsJson.Row(rows, "worker.1").GetProperty("port").GetInt32());
        Assert.All(rows, r => Assert.Equal("running", r.GetProperty("state").GetString()));
        var table = await Drover(app, "ps");
        Assert.StartsWith("NAME", table.StdoutLines[0]);
        Assert.Contains(table.StdoutLines, l => l.StartsWith("web.2", StringComparison.Ordinal) && l.Contains($"{web2}") && l.Contains("running"));
    }

    [Fact]
    public async Task The_apps_own_aspnet_settings_do_not_configure_the_control_server()
    {
        // An ASP.NET app's folder: its appsettings.json and ASPNETCORE_URLS are for the app, not for Drover.
        int appPort = TestPorts.RandomBase();
        using var app = TempApp.Create()
            .WithProcfile("web: exec sleep 1000")
            .WithFile("appsettings.json", $"{{\"Kestrel\":{{\"Endpoints\":{{\"Http\":{{\"Url\":\"http://127.0.0.1:{appPort}\"}}}}}}}}");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");

        Assert.Single(await PsJson.Rows(app)); // the control server is up now

        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = Assert.Throws<SocketException>(() => probe.Connect(IPAddress.Loopback, appPort));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task After_serving_requests_drover_still_stops_cleanly_and_removes_its_socket()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");
        Assert.Single(await PsJson.Rows(app));
        Assert.True(File.Exists(SocketOf(app)));

        drover.Signal(UnixSignal.Terminate);

        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.False(File.Exists(SocketOf(app)));
    }

    [Fact]
    public async Task Scaling_up_starts_only_new_instances_with_the_next_ports_and_scaling_down_stops_the_highest()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile("web: echo \"port $PORT\"; exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{port}");
        int web1 = await drover.WaitForStartAsync("web.1");

        var up = await Drover(app, "scale", "web=3");
        Assert.True(up.ExitCode == 0, up.ToString());
        await drover.WaitForOutputAsync("web.3", $"port {port + 2}");
        await drover.WaitForOutputAsync("web.2", $"port {port + 1}");
        int web3 = (int)(await PsJson.Rows(app)).Select(r => r.GetProperty("pid").GetInt32()).Max();
        Assert.Equal(web1, PsJson.Row(await PsJson.Rows(app), "web.1").GetProperty("pid").GetInt32());

        var down = await Drover(app, "scale", "web=1");
        Assert.True(down.ExitCode == 0, down.ToString());
        var rows = await PsJson.Rows(app);
        Assert.Equal(["web.1"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(web1, rows[0].GetProperty("pid").GetInt32());
        Assert.False(ProcessTable.IsRunning(web3));
    }

    [Fact]
    public async Task Scaling_an_unknown_type_or_to_a_bad_count_changes_nothing()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");

        var unknown = await Drover(app, "scale", "web=2", "wbe=1");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown process type 'wbe'", unknown.Stderr);
        var negative = await Drover(app, "scale", "web=-1");
        Assert.Equal(2, negative.ExitCode);
        Assert.Single(await PsJson.Rows(app));
    }

    [Fact]
    public async Task A_rolling_restart_replaces_every_listener_one_at_a_time_without_a_moment_with_none()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile($"web: {Listener}");
        using var drover = DroverProcess.Start(app.Root, "start", "-m", "web=2", "-p", $"{port}");
        await drover.WaitForOutputAsync("web.1", $"listening on {port}");
        await drover.WaitForOutputAsync("web.2", $"listening on {port + 1}");
        var before = (await PsJson.Rows(app)).Select(r => r.GetProperty("pid").GetInt32()).ToArray();

        using var stop = new CancellationTokenSource();
        var gaps = Task.Run(() => ListeningPorts.CountGaps(port, port + 1, stop.Token));
        var restart = await Drover(app, "restart", "web");
        await stop.CancelAsync();

        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.Equal(0, await gaps);
        var after = (await PsJson.Rows(app)).Select(r => r.GetProperty("pid").GetInt32()).ToArray();
        Assert.All(after, pid => Assert.DoesNotContain(pid, before));
        Assert.All(before, pid => Assert.False(ProcessTable.IsRunning(pid)));
        await drover.WaitForOutputAsync("web.1", $"listening on {port}", occurrence: 2);
        await drover.WaitForOutputAsync("web.2", $"listening on {port + 1}", occurrence: 2);
    }

    [Fact]
    public async Task A_replacement_that_never_listens_stops_the_roll_and_the_rest_keep_running()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile($"web: {Listener}");
        using var drover = DroverProcess.Start(app.Root, "start", "-m", "web=3", "-p", $"{port}", "--ready-timeout", "2");
        await drover.WaitForOutputAsync("web.3", $"listening on {port + 2}");
        var before = (await PsJson.Rows(app)).Select(r => r.GetProperty("pid").GetInt32()).ToArray();

        // The new version starts but never listens.
        app.WithProcfile("web: echo broken; exec sleep 1000");
        var reload = await Drover(app, "reload");

        Assert.Equal(1, reload.ExitCode);
        Assert.Contains($"web.1 did not accept connections on port {port}", reload.Stderr);
        var rows = await PsJson.Rows(app);
        Assert.NotEqual(before[0], PsJson.Row(rows, "web.1").GetProperty("pid").GetInt32());
        Assert.Equal(before[1], PsJson.Row(rows, "web.2").GetProperty("pid").GetInt32());
        Assert.Equal(before[2], PsJson.Row(rows, "web.3").GetProperty("pid").GetInt32());
        Assert.True(ListeningPorts.Accepts(port + 1) && ListeningPorts.Accepts(port + 2), "the instances not yet restarted keep serving");
    }


    [Fact]
    public async Task Restarting_one_instance_leaves_the_others_alone()
    {
        using var app = TempApp.Create().WithProcfile("web: echo \"hello $PS\"; exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-m", "web=2", "-p", $"{TestPorts.RandomBase()}");
        int web1 = await drover.WaitForStartAsync("web.1");
        int web2 = await drover.WaitForStartAsync("web.2");

        var restart = await Drover(app, "restart", "web.2");

        Assert.True(restart.ExitCode == 0, restart.ToString());
        int newWeb2 = await drover.WaitForStartAsync("web.2", occurrence: 2);
        Assert.NotEqual(web2, newWeb2);
        Assert.True(ProcessTable.IsRunning(web1));
        Assert.False(ProcessTable.IsRunning(web2));
    }

    [Fact]
    public async Task A_stopped_instance_stays_stopped_until_started_again()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000", "worker: echo working; exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        int worker = await drover.WaitForStartAsync("worker.1");

        var stop = await Drover(app, "stop", "worker");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.False(ProcessTable.IsRunning(worker));
        Assert.Equal("stopped", PsJson.Row(await PsJson.Rows(app), "worker.1").GetProperty("state").GetString());
        Assert.DoesNotContain(drover.Lines, l => l.Text.StartsWith("worker.1 restarting", StringComparison.Ordinal));

        var start = await Drover(app, "start", "worker");
        Assert.True(start.ExitCode == 0, start.ToString());
        await drover.WaitForStartAsync("worker.1", occurrence: 2);
        Assert.Equal("running", PsJson.Row(await PsJson.Rows(app), "worker.1").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Reload_restarts_changed_types_stops_removed_ones_and_starts_new_ones()
    {
        using var app = TempApp.Create().WithProcfile(
            "web: echo web-v1; exec sleep 1000", "worker: echo worker-v1; exec sleep 1000", "old: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        int web = await drover.WaitForStartAsync("web.1");
        int old = await drover.WaitForStartAsync("old.1");
        await drover.WaitForOutputAsync("worker.1", "worker-v1");

        app.WithProcfile("web: echo web-v1; exec sleep 1000", "worker: echo worker-v2; exec sleep 1000", "fresh: echo fresh; exec sleep 1000");
        var reload = await Drover(app, "reload");

        Assert.True(reload.ExitCode == 0, reload.ToString());
        await drover.WaitForOutputAsync("worker.1", "worker-v2");
        await drover.WaitForOutputAsync("fresh.1", "fresh");
        var rows = await PsJson.Rows(app);
        Assert.Equal(["web.1", "worker.1", "fresh.1"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(web, PsJson.Row(rows, "web.1").GetProperty("pid").GetInt32());
        Assert.False(ProcessTable.IsRunning(old));
    }

    [Fact]
    public async Task A_reload_with_an_invalid_Procfile_changes_nothing_and_names_the_line()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        int web = await drover.WaitForStartAsync("web.1");

        app.WithProcfile("web: exec sleep 1000", "this line is wrong");
        var reload = await Drover(app, "reload");

        Assert.NotEqual(0, reload.ExitCode);
        Assert.Contains("Procfile:2", reload.Stderr);
        Assert.Contains("nothing changed", reload.Stderr);
        Assert.Equal(web, PsJson.Row(await PsJson.Rows(app), "web.1").GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task SIGUSR1_reloads_too()
    {
        using var app = TempApp.Create().WithProcfile("web: echo v1; exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForOutputAsync("web.1", "v1");

        app.WithProcfile("web: echo v2; exec sleep 1000");
        drover.Signal(UnixSignal.User1);

        await drover.WaitForOutputAsync("web.1", "v2");
        await drover.WaitForSystemAsync("reload done");
    }

    [Fact]
    public async Task Logs_show_recent_lines_and_follow_new_ones()
    {
        using var app = TempApp.Create().WithProcfile(
            "web: for i in 1 2 3 4 5; do echo \"line $i\"; done; exec sleep 1000",
            "ticker: i=0; while :; do i=$((i+1)); echo \"tick $i\"; sleep 0.2; done");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForOutputAsync("web.1", "line 5");
        await drover.WaitForOutputAsync("ticker.1", "tick 1");

        var recent = await Drover(app, "logs", "-n", "2", "web");
        Assert.True(recent.ExitCode == 0, recent.ToString());
        Assert.Equal(["line 4", "line 5"], recent.Lines.Select(l => l.Text));
        Assert.All(recent.Lines, l => Assert.Equal("web.1", l.Name));

        // With -n 0 nothing old is shown: every line the follower prints arrived live.
        using var follower = DroverProcess.Start(app.Root, "logs", "-f", "-n", "0", "ticker");
        await follower.WaitForOutputAsync("ticker.1", t => t.StartsWith("tick ", StringComparison.Ordinal));
        await follower.WaitForOutputAsync("ticker.1", t => t.StartsWith("tick ", StringComparison.Ordinal), occurrence: 3);
        Assert.All(follower.Lines, l => Assert.Equal("ticker.1", l.Name));
    }

    [Fact]
    public async Task A_second_drover_for_the_same_app_is_refused_and_starts_nothing()
    {
        using var app = TempApp.Create().WithProcfile("web: echo started; exec sleep 1000");
        using var first = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await first.WaitForStartAsync("web.1");

        var second = await Drover(app, "start");

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already running", second.Stderr);
        Assert.DoesNotContain(second.Lines, l => l.Text.Contains("started", StringComparison.Ordinal));
        Assert.Single(await PsJson.Rows(app));
    }

    [Fact]
    public async Task A_stale_socket_of_a_killed_drover_is_replaced()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        string socket = SocketOf(app);
        using (var killed = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}"))
        {
            await killed.WaitForStartAsync("web.1");
            killed.Signal(UnixSignal.Kill);
            await killed.WaitForExitAsync();
        }
        Assert.True(File.Exists(socket), "a killed drover leaves its socket behind");

        using var again = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await again.WaitForStartAsync("web.1");
        Assert.Single(await PsJson.Rows(app));
    }

    [Fact]
    public async Task Nobody_but_the_owner_can_use_the_control_socket()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");
        string socket = SocketOf(app);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(socket)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));

        // Open the folder and socket to everyone, so only the peer-credential check stands in the way.
        string dir = Path.GetDirectoryName(socket)!;
        var dirMode = File.GetUnixFileMode(dir);
        File.SetUnixFileMode(dir, dirMode | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        File.SetUnixFileMode(socket, (UnixFileMode)0x1B6);
        try
        {
            var asNobody = await Run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "curl", "-sS", "--unix-socket", socket, "http://drover/v1/ps");
            var asOwner = await Run("curl", "-sS", "--unix-socket", socket, "http://drover/v1/ps");

            Assert.NotEqual(0, asNobody.Code);
            Assert.DoesNotContain("web.1", asNobody.Stdout);
            Assert.Equal(0, asOwner.Code);
            Assert.Contains("web.1", asOwner.Stdout);
        }
        finally
        {
            File.SetUnixFileMode(dir, dirMode);
        }
    }

    [Fact]
    public async Task Malformed_requests_get_an_error_and_the_formation_carries_on()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        int web = await drover.WaitForStartAsync("web.1");
        string socket = SocketOf(app);

        string garbage = await Raw(socket, "\u0001\u0002 not http at all\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", garbage);
        string wrongVersion = await Raw(socket, "THIS IS NOT HTTP\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 505", wrongVersion);
        string badJson = await Raw(socket, Post("/v1/scale", "{nope!}"));
        Assert.StartsWith("HTTP/1.1 400", badJson);
        Assert.Contains("\"error\"", badJson);
        string unknown = await Raw(socket, Post("/v1/stop", "{\"target\":\"web.9\"}"));
        Assert.StartsWith("HTTP/1.1 404", unknown);

        Assert.Equal(web, PsJson.Row(await PsJson.Rows(app), "web.1").GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Counts_lines_and_bodies_out_of_range_are_refused_with_400_and_exit_2()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");
        string socket = SocketOf(app);

        var scale = await Drover(app, "scale", "web=2147483647");
        Assert.Equal(2, scale.ExitCode);
        Assert.Contains("above 65535", scale.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", await Raw(socket, Post("/v1/scale", "{\"counts\":{\"web\":2147483647}}")));
        foreach (string lines in new[] { "-1", "abc", "1e3" })
        {
            Assert.StartsWith("HTTP/1.1 400", await Raw(socket, $"GET /v1/logs?lines={lines} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        }
        var negative = await Drover(app, "logs", "-n", "-5");
        Assert.Equal(2, negative.ExitCode);
        string badChunks = await Raw(socket,
            "POST /v1/scale HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", badChunks);

        Assert.Single(await PsJson.Rows(app));
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    private static string SocketOf(TempApp app) =>
        ControlAddress.SocketPath(app.Root, Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1]));

    private static string Post(string path, string json) =>
        $"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\nConnection: close\r\n\r\n{json}";

    private static async Task<string> Raw(string socketPath, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var response = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        using var timeout = new CancellationTokenSource(DroverProcess.Patience);
        while ((n = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
        {
            response.Write(buffer, 0, n);
        }
        return Encoding.UTF8.GetString(response.ToArray());
    }

    private static async Task<(int Code, string Stdout)> Run(string program, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        args.ToList().ForEach(info.ArgumentList.Add);
        using var process = System.Diagnostics.Process.Start(info)!;
        string stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout);
    }
}
