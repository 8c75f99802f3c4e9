using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>What happens when a process exits on its own, under each restart policy.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_failing_process_is_restarted_at_once_then_after_a_doubling_delay()
    {
        using var app = TempApp.Create().WithProcfile("web: echo trying; exit 1");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        var exited = await drover.WaitForSystemAsync("web.1 exited with code 1");
        var now = await drover.WaitForSystemAsync("web.1 restarting now");
        var second = await drover.WaitForSystemAsync("web.1 restarting in 100 ms (attempt 2)");
        var third = await drover.WaitForSystemAsync("web.1 restarting in 200 ms (attempt 3)");
        await drover.WaitForOutputAsync("web.1", "trying", occurrence: 4);

        var lines = drover.Stdout.Lines.ToList();
        Assert.True(
            lines.IndexOf(exited.Raw) < lines.IndexOf(now.Raw) && lines.IndexOf(now.Raw) < lines.IndexOf(second.Raw)
                && lines.IndexOf(second.Raw) < lines.IndexOf(third.Raw),
            drover.Dump());

        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task Every_restart_is_a_new_process()
    {
        using var app = TempApp.Create().WithProcfile("web: echo \"pid $$\"; exit 1");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        int first = await drover.WaitForStartAsync("web.1");
        int second = await drover.WaitForStartAsync("web.1", occurrence: 2);
        int third = await drover.WaitForStartAsync("web.1", occurrence: 3);

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task A_process_killed_by_a_signal_counts_as_a_failure_and_is_restarted()
    {
        using var app = TempApp.Create().WithProcfile("web: kill -KILL $$");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        await drover.WaitForSystemAsync("web.1 killed by SIGKILL");
        await drover.WaitForSystemAsync("web.1 restarting now");

        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task Processes_that_exit_cleanly_are_not_restarted_and_drover_exits_0_when_all_are_done()
    {
        using var app = TempApp.Create().WithProcfile("web: echo web done", "worker: echo worker done");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.Equal(0, await drover.WaitForExitAsync());

        Assert.Contains("web.1 exited with code 0", drover.TextOf("system"));
        Assert.Contains("worker.1 exited with code 0", drover.TextOf("system"));
        Assert.Equal("all processes finished", drover.TextOf("system")[^1]);
        Assert.DoesNotContain(drover.TextOf("system"), t => t.Contains("restarting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_restart_never_a_failure_is_not_restarted_and_drover_exits_1()
    {
        using var app = TempApp.Create().WithProcfile("web: exit 3", "worker: echo fine");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "--restart", "never");

        Assert.Equal(1, await drover.WaitForExitAsync());

        Assert.Contains("web.1 exited with code 3", drover.TextOf("system"));
        Assert.Equal("all processes finished", drover.TextOf("system")[^1]);
        Assert.DoesNotContain(drover.TextOf("system"), t => t.Contains("restarting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_restart_always_a_clean_exit_is_restarted_too()
    {
        using var app = TempApp.Create().WithProcfile("web: echo tick");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "--restart", "always");

        await drover.WaitForSystemAsync("web.1 exited with code 0");
        await drover.WaitForSystemAsync("web.1 restarting now");
        await drover.WaitForOutputAsync("web.1", "tick", occurrence: 3);

        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task With_stop_on_exit_drover_stops_the_others_and_exits_with_the_code_of_the_process_that_exited()
    {
        using var app = TempApp.Create().WithProcfile(
            "quitter: trap 'exit 7' USR1; echo \"pid $$\"; echo ready; sleep 1000 & wait",
            $"sleeper: {ChildProcesses.ShellWithSleepers()}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "--stop-on-exit");
        var sleeper = await drover.WaitForReadyAsync("sleeper.1");
        var quitter = await drover.WaitForReadyAsync("quitter.1");

        Libc.Send(quitter[0].Pid, UnixSignal.User1);

        Assert.Equal(7, await drover.WaitForExitAsync());
        Assert.Contains("quitter.1 exited with code 7", drover.TextOf("system"));
        Assert.Contains("sending SIGTERM to all processes (sleeper.1)", drover.TextOf("system"));
        Assert.Contains("sleeper.1 killed by SIGTERM", drover.TextOf("system"));
        Assert.DoesNotContain(drover.TextOf("system"), t => t.Contains("restarting", StringComparison.Ordinal));
        Assert.Empty(ChildProcesses.Survivors([.. sleeper, .. quitter]));
    }

    [Fact]
    public async Task With_stop_on_exit_a_process_killed_by_a_signal_gives_128_plus_the_signal()
    {
        using var app = TempApp.Create().WithProcfile(
            "victim: trap 'kill -KILL $$' USR1; echo \"pid $$\"; echo ready; sleep 1000 & wait",
            $"sleeper: {ChildProcesses.ShellWithSleepers()}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "--stop-on-exit");
        var sleeper = await drover.WaitForReadyAsync("sleeper.1");
        var victim = await drover.WaitForReadyAsync("victim.1");

        Libc.Send(victim[0].Pid, UnixSignal.User1);

        Assert.Equal(128 + 9, await drover.WaitForExitAsync());
        Assert.Contains("victim.1 killed by SIGKILL", drover.TextOf("system"));
        Assert.Empty(ChildProcesses.Survivors([.. sleeper, .. victim]));
    }
}
