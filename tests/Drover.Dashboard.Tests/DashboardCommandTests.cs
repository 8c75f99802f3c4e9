using System.Net;
using Drover.Cli.Tests.Support;
using Drover.Dashboard.Tests.Support;

namespace Drover.Dashboard.Tests;

/// <summary>`drover dashboard`, and `--dashboard` on `drover start`.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DashboardCommandTests
{
    // A framework-dependent build has drover.dll next to the binary: then the loaded assemblies show in /proc/PID/maps.
    private static bool IsJitBuild => File.Exists(Path.Combine(Path.GetDirectoryName(DroverBinary.Path)!, "drover.dll"));

    private static bool Loaded(int pid, string assembly) => File.ReadAllText($"/proc/{pid}/maps").Contains(assembly, StringComparison.Ordinal);

    [Fact]
    public async Task Drover_dashboard_starts_the_dashboard_of_a_running_formation_once_and_prints_its_url()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");
        var ps = await DroverProcess.RunAsync(app.Root, "ps");
        Assert.True(ps.ExitCode == 0, ps.ToString());
        if (IsJitBuild)
        {
            // A formation that never asked for the dashboard does not even load its code (the control API is loaded now).
            Assert.True(Loaded(drover.Pid, "Drover.Control.dll"));
            Assert.False(Loaded(drover.Pid, "Drover.Dashboard.dll"), "a plain drover start loaded the dashboard");
        }

        var first = await DroverProcess.RunAsync(app.Root, "dashboard");
        var second = await DroverProcess.RunAsync(app.Root, "dashboard");

        Assert.True(first.ExitCode == 0, first.ToString());
        string url = Assert.Single(first.StdoutLines);
        Assert.StartsWith("http://127.0.0.1:", url);
        Assert.Contains("/?token=", url);
        Assert.Equal([url], second.StdoutLines);
        if (IsJitBuild)
        {
            Assert.True(Loaded(drover.Pid, "Drover.Dashboard.dll"), "the check for a loaded dashboard sees nothing");
        }
        await drover.WaitForSystemAsync($"dashboard: {url}");
        Assert.Single(drover.TextOf(OutputLine.System), t => t.StartsWith("dashboard: ", StringComparison.Ordinal));
        var uri = new Uri(url);
        using var http = Http.Client(new Uri(uri.GetLeftPart(UriPartial.Authority)));
        Assert.Equal(HttpStatusCode.SeeOther, (await http.GetAsync(uri.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Drover_dashboard_without_a_running_formation_says_so()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");

        var result = await DroverProcess.RunAsync(app.Root, "dashboard");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no Drover is running", result.Stderr);
    }

    [Fact]
    public async Task A_type_after_dashboard_is_a_type_not_an_address()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000", "worker: exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app, "web");

        await dashboard.Drover.WaitForStartAsync("web.1");

        Assert.Equal(["web.1"], (await dashboard.PsAsync()).Select(r => r.GetProperty("name").GetString()));
        Assert.Equal("127.0.0.1", dashboard.Base.Host);
    }

    [Fact]
    public async Task An_explicit_address_is_used_and_a_bad_one_is_a_usage_error()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        using (var drover = DroverProcess.Start(app.Root, "start", "--dashboard", $"127.0.0.1:{port}", "-p", $"{TestPorts.RandomBase()}"))
        {
            var line = await drover.WaitForSystemPrefixAsync("dashboard: http");
            Assert.StartsWith($"dashboard: http://127.0.0.1:{port}/?token=", line.Text);
        }

        var bad = await DroverProcess.RunAsync(app.Root, "start", "--dashboard", "127.0.0.1:99999");

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--dashboard: '127.0.0.1:99999' is not PORT or ADDRESS:PORT", bad.Stderr);
        Assert.Empty(bad.Lines);
    }

    [Fact]
    public async Task A_dashboard_port_that_is_taken_is_reported_and_the_formation_runs_on()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        using var drover = DroverProcess.Start(app.Root, "start", "--dashboard", $"{port}", "-p", $"{TestPorts.RandomBase()}");

        await drover.WaitForSystemPrefixAsync("warning: the dashboard could not start");
        int pid = await drover.WaitForStartAsync("web.1");
        Assert.True(ProcessTable.IsRunning(pid));
        Assert.DoesNotContain(drover.TextOf(OutputLine.System), t => t.StartsWith("dashboard: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drover_stops_promptly_and_cleanly_while_a_page_follows_the_event_stream()
    {
        using var app = TempApp.Create().WithProcfile("web: while true; do echo tick; sleep 0.2; done");
        using var dashboard = await RunningDashboard.StartAsync(app);
        await dashboard.Drover.WaitForOutputAsync("web.1", "tick");
        using var http = Http.Client(dashboard.Base);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", dashboard.Token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await events.ReadLineAsync() is { } line && line != "event: log")
        {
        }

        dashboard.Drover.Signal(UnixSignal.Terminate);

        Assert.Equal(0, await dashboard.Drover.WaitForExitAsync());
        // Nothing failed on the way out (the never-used control server's socket closing is no failure either).
        Assert.DoesNotContain(dashboard.Drover.TextOf(OutputLine.System), t => t.StartsWith("warning", StringComparison.Ordinal));
        // The stream ends with Drover rather than hanging.
        while (await events.ReadLineAsync() is not null)
        {
        }
    }
}
