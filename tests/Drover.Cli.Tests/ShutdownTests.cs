using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>Stopping <c>drover start</c> with a signal: everything it started goes, grandchildren included.</summary>
public sealed class ShutdownTests
{
    [Theory]
    [InlineData(UnixSignal.Terminate)]
    [InlineData(UnixSignal.Interrupt)]
    [InlineData(UnixSignal.Hangup)]
    public async Task A_stop_signal_stops_every_process_and_drover_exits_0(UnixSignal signal)
    {
        using var app = TempApp.Create().WithProcfile(
            $"web: {ChildProcesses.ShellWithSleepers()}",
            $"worker: {ChildProcesses.ShellWithSleepers(2)}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-m", "web=2,worker=1");
        var children = new List<TrackedProcess>();
        foreach (string instance in new[] { "web.1", "web.2", "worker.1" })
        {
            children.AddRange(await drover.WaitForReadyAsync(instance));
        }

        drover.Signal(signal);

        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.Contains("sending SIGTERM to all processes (web.1, web.2, worker.1)", drover.TextOf("system"));
        Assert.Equal("all processes stopped", drover.TextOf("system")[^1]);
        Assert.Empty(ChildProcesses.Survivors(children));
    }

    [Fact]
    public async Task Grandchildren_of_a_shell_command_are_stopped_too()
    {
        using var app = TempApp.Create().WithProcfile(
            "web: sh -c 'sleep 1000 & echo \"pid $!\"; echo \"pid $$\"; wait' & sleep 1000 & echo \"pid $!\"; echo \"pid $$\"; wait");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");
        // Two pids from the outer shell (itself, its sleep), two from the inner one (itself, its sleep).
        await drover.WaitForOutputAsync("web.1", t => t.StartsWith("pid ", StringComparison.Ordinal), occurrence: 4);
        var processes = drover.TextOf("web.1")
            .Select(t => TrackedProcess.Capture(int.Parse(t["pid ".Length..], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        drover.Signal(UnixSignal.Terminate);

        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.Empty(ChildProcesses.Survivors(processes));
    }

    [Fact]
    public async Task A_process_that_ignores_SIGTERM_is_killed_with_its_whole_group_after_the_timeout()
    {
        using var app = TempApp.Create().WithProcfile(
            $"stubborn: {ChildProcesses.ShellWithSleepers(2, prelude: "trap '' TERM; ")}",
            $"polite: {ChildProcesses.ShellWithSleepers()}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-t", "1");
        var stubborn = await drover.WaitForReadyAsync("stubborn.1");
        var polite = await drover.WaitForReadyAsync("polite.1");

        drover.Signal(UnixSignal.Terminate);

        await drover.WaitForSystemAsync("polite.1 killed by SIGTERM");
        await drover.WaitForSystemAsync("stop timeout of 1 s reached: sending SIGKILL to stubborn.1");
        await drover.WaitForSystemAsync("stubborn.1 killed by SIGKILL");
        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.Empty(ChildProcesses.Survivors([.. stubborn, .. polite]));
    }

    [Fact]
    public async Task A_second_SIGINT_kills_at_once_without_waiting_for_the_timeout()
    {
        using var app = TempApp.Create().WithProcfile($"stubborn: {ChildProcesses.ShellWithSleepers(1, prelude: "trap '' TERM; ")}");
        // A 60 s timeout: the test's 30 s limit on drover's exit fails if drover waits for it.
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-t", "60");
        var stubborn = await drover.WaitForReadyAsync("stubborn.1");

        drover.Signal(UnixSignal.Interrupt);
        await drover.WaitForSystemAsync("sending SIGTERM to all processes (stubborn.1)");
        drover.Signal(UnixSignal.Interrupt);

        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.Contains("second interrupt: sending SIGKILL to stubborn.1", drover.TextOf("system"));
        Assert.DoesNotContain(drover.TextOf("system"), t => t.StartsWith("stop timeout", StringComparison.Ordinal));
        Assert.Empty(ChildProcesses.Survivors(stubborn));
    }

    [Fact]
    public async Task What_a_process_leaves_behind_in_its_group_is_stopped_when_it_exits()
    {
        using var app = TempApp.Create().WithProcfile($"web: {ChildProcesses.ShellWithSleepers(2, prelude: "trap 'exit 0' USR1; ")}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");
        var processes = await drover.WaitForReadyAsync("web.1");
        var shell = processes[^1];

        Libc.Send(shell.Pid, UnixSignal.User1);

        await drover.WaitForSystemAsync($"sending SIGTERM to what is left of web.1's process group (pid {shell.Pid})");
        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.Equal("all processes finished", drover.TextOf("system")[^1]);
        Assert.Empty(ChildProcesses.Survivors(processes));
    }

    [Fact]
    public async Task A_stop_signal_during_a_restart_delay_ends_drover_without_starting_again()
    {
        using var app = TempApp.Create().WithProcfile("web: exit 1", $"worker: {ChildProcesses.ShellWithSleepers()}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");
        var worker = await drover.WaitForReadyAsync("worker.1");
        await drover.WaitForSystemPrefixAsync("web.1 restarting in ");

        drover.Signal(UnixSignal.Terminate);

        Assert.Equal(0, await drover.WaitForExitAsync());
        var system = drover.TextOf("system").ToList();
        int shutdown = system.FindIndex(t => t.StartsWith("sending SIGTERM to all processes", StringComparison.Ordinal));
        Assert.True(shutdown >= 0, drover.Dump());
        Assert.DoesNotContain(system.Skip(shutdown), t => t.StartsWith("web.1 started", StringComparison.Ordinal) || t.StartsWith("web.1 restarting", StringComparison.Ordinal));
        Assert.Equal("all processes stopped", system[^1]);
        Assert.Empty(ChildProcesses.Survivors(worker));
    }

    [Fact]
    public async Task When_drover_is_killed_with_SIGKILL_its_processes_die_with_it()
    {
        using var app = TempApp.Create().WithProcfile(
            $"web: {ChildProcesses.ShellWithSleepers(2)}",
            $"worker: {ChildProcesses.ShellWithSleepers(1, prelude: "trap '' TERM; ")}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");
        var processes = new List<TrackedProcess>();
        processes.AddRange(await drover.WaitForReadyAsync("web.1"));
        processes.AddRange(await drover.WaitForReadyAsync("worker.1"));

        drover.Signal(UnixSignal.Kill);

        Assert.Equal(128 + 9, await drover.WaitForExitAsync());
        await ChildProcesses.NoneSurviveAsync(processes);
    }

    [Fact]
    public async Task A_grandchild_that_left_its_group_with_setsid_is_stopped_too()
    {
        using var app = TempApp.Create().WithProcfile("web: setsid sleep 1000 & echo \"pid $!\"; echo \"pid $$\"; echo ready; wait");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");
        var processes = await drover.WaitForReadyAsync("web.1");
        drover.KillOnDispose(processes);

        drover.Signal(UnixSignal.Terminate);

        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.Empty(ChildProcesses.Survivors(processes));
    }
}
