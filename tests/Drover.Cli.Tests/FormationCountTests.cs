using System.Text.Json;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>Issue #14 item 6: what scale, reload and `start TYPE` do to the count of a type.</summary>
public sealed class FormationCountTests
{
    private static async Task<string[]> Names(TempApp app) =>
        [.. (await PsJson.Rows(app)).Select(r => $"{r.GetProperty("name").GetString()}:{r.GetProperty("state").GetString()}")];

    [Fact]
    public async Task A_scale_to_zero_survives_a_reload_of_an_unchanged_Procfile()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000", "worker: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");
        int worker = await drover.WaitForStartAsync("worker.1");

        var scale = await DroverProcess.RunAsync(app.Root, "scale", "worker=0");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        var reload = await DroverProcess.RunAsync(app.Root, "reload");

        Assert.True(reload.ExitCode == 0, reload.ToString());
        Assert.Equal(["web.1:running"], await Names(app));
        Assert.False(ProcessTable.IsRunning(worker));
        Assert.Single(drover.Stdout.Lines, l => l.Contains("worker.1") && l.Contains("started"));
    }

    [Fact]
    public async Task A_scale_up_survives_a_reload_too()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");

        Assert.Equal(0, (await DroverProcess.RunAsync(app.Root, "scale", "web=2")).ExitCode);
        var reload = await DroverProcess.RunAsync(app.Root, "reload");

        Assert.True(reload.ExitCode == 0, reload.ToString());
        Assert.Equal(["web.1:running", "web.2:running"], await Names(app));
    }

    [Fact]
    public async Task Start_TYPE_while_running_starts_one_instance_of_a_type_with_count_0()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000", "worker: echo worker up; exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-m", "web=1,worker=0", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");

        var start = await DroverProcess.RunAsync(app.Root, "start", "worker");

        Assert.True(start.ExitCode == 0, start.ToString());
        await drover.WaitForOutputAsync("worker.1", "worker up");
        Assert.Equal(["web.1:running", "worker.1:running"], await Names(app));
    }
}
