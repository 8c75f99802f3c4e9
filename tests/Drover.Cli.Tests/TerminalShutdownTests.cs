using Drover.Cli.Tests.Reliability;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// Issue #17 item 1: every guarantee of the pipe path holds for processes on pseudo-terminals (--tty always):
/// no orphans on a stop signal or when Drover is killed, exit codes, and whole lines under a flood.
/// </summary>
public sealed class TerminalShutdownTests
{
    [Fact]
    public async Task A_stop_signal_stops_every_terminal_process_and_its_grandchildren()
    {
        using var app = TempApp.Create().WithProcfile(
            $"web: {ChildProcesses.ShellWithSleepers(2)}",
            $"worker: {ChildProcesses.ShellWithSleepers(1)}");
        using var drover = DroverProcess.Start(app.Root, "start", "--tty", "always", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");
        var children = new List<TrackedProcess>();
        children.AddRange(await drover.WaitForReadyAsync("web.1"));
        children.AddRange(await drover.WaitForReadyAsync("worker.1"));

        drover.Signal(UnixSignal.Terminate);

        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.Empty(ChildProcesses.Survivors(children));
    }

    [Fact]
    public async Task When_drover_is_killed_with_SIGKILL_its_terminal_processes_die_with_it_even_ignoring_the_hangup()
    {
        using var app = TempApp.Create().WithProcfile(
            $"web: {ChildProcesses.ShellWithSleepers(2, prelude: "trap '' HUP TERM; ")}");
        using var drover = DroverProcess.Start(app.Root, "start", "--tty", "always", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");
        var processes = new List<TrackedProcess>(await drover.WaitForReadyAsync("web.1"));

        drover.Signal(UnixSignal.Kill);

        Assert.Equal(128 + 9, await drover.WaitForExitAsync());
        await ChildProcesses.NoneSurviveAsync(processes);
    }

    [Fact]
    public async Task The_exit_code_of_a_terminal_process_is_passed_through_with_stop_on_exit()
    {
        using var app = TempApp.Create().WithProcfile("job: echo working; exit 3", "web: sleep 1000");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--tty", "always", "--stop-on-exit", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(result.Lines, l => l.Name == "job.1" && l.Text == "working");
    }

    [Fact]
    public async Task Four_terminal_processes_flooding_100000_lines_each_come_out_whole_once_and_in_order()
    {
        const int lines = 100_000;
        var floods = Enumerable.Range(1, 4).ToDictionary(i => $"w{i}.1", i => (Tag: $"w{i}", Lines: lines));
        using var app = TempApp.Create()
            .WithFloodScript()
            .WithProcfile([.. Enumerable.Range(1, 4).Select(i => $"w{i}: {Flood.Command($"w{i}", lines)}")]);
        using var drover = DroverProcess.Start(
            app.Root, "start", "--tty", "always", "--no-timestamp", "--restart", "never", "-p", $"{TestPorts.RandomBase()}");

        Assert.Equal(0, await drover.WaitForExitAsync());

        var system = Flood.AssertComplete(drover.Stdout.Bytes, floods);
        Assert.Equal("all processes finished", system[^1]);
    }
}
