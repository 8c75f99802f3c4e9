using System.Globalization;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests.Reliability;

/// <summary>
/// Processes that ignore SIGTERM, deep in the tree or left behind by a parent that already exited: drover kills
/// them at the stop timeout, and when drover itself is killed with SIGKILL they die with it.
/// (ShutdownTests covers a SIGTERM-ignoring shell whose children inherit that, and SIGKILL with one.)
/// </summary>
public sealed class StubbornProcessTests
{
    // A polite shell (the instance's leader) whose child shell ignores SIGTERM, as does that shell's child, since an
    // ignored signal stays ignored across fork and exec. Four "pid" lines: inner shell, outer sleep, outer shell,
    // inner sleep; the inner shell prints its line after setting its trap, so once all four are out the trap is set.
    private const string PoliteParentOfStubbornChildren =
        "sh -c 'trap \"\" TERM; sleep 1000 & echo \"pid $!\"; wait' & echo \"pid $!\"; "
        + "sleep 1000 & echo \"pid $!\"; echo \"pid $$\"; wait";

    [Fact]
    public async Task Grandchildren_that_ignore_SIGTERM_are_killed_at_the_timeout_after_their_parent_stopped()
    {
        using var app = TempApp.Create().WithProcfile($"web: {PoliteParentOfStubbornChildren}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-t", "1");
        var processes = await WaitForPidsAsync(drover, "web.1", count: 4);

        drover.Signal(UnixSignal.Terminate);

        await drover.WaitForSystemAsync("web.1 killed by SIGTERM");
        await drover.WaitForSystemAsync("stop timeout of 1 s reached: sending SIGKILL to web.1");
        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.Equal("all processes stopped", drover.TextOf("system")[^1]);
        Assert.Empty(ChildProcesses.Survivors(processes));
    }

    [Fact]
    public async Task After_SIGKILL_nothing_drover_started_survives_stubborn_grandchildren_and_orphans_of_an_exited_process_included()
    {
        using var app = TempApp.Create().WithProcfile(
            $"deep: {PoliteParentOfStubbornChildren}",
            // Exits once released, leaving in its group a child that ignores SIGTERM: drover is still waiting for
            // that group to empty (its stop timeout is 60 s) when it is killed.
            "leaver: trap '' TERM; sleep 1000 & echo \"pid $!\"; echo \"pid $$\"; echo ready; while [ ! -e release ]; do sleep 0.05; done; exit 0",
            $"polite: {ChildProcesses.ShellWithSleepers(2)}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-t", "60");
        var processes = new List<TrackedProcess>();
        processes.AddRange(await WaitForPidsAsync(drover, "deep.1", count: 4));
        processes.AddRange(await drover.WaitForReadyAsync("polite.1"));
        var leaver = await drover.WaitForReadyAsync("leaver.1");
        processes.AddRange(leaver);
        await File.WriteAllTextAsync(app.PathOf("release"), "");
        await drover.WaitForSystemAsync($"sending SIGTERM to what is left of leaver.1's process group (pid {leaver[^1].Pid})");
        Assert.True(leaver[0].IsRunning, $"the orphan (pid {leaver[0].Pid}) should ignore SIGTERM\n{drover.Dump()}");
        // Whatever else drover runs (a watchdog, say) must go too.
        processes.AddRange(RunningDescendants(drover.Pid));
        drover.KillOnDispose(processes);

        drover.Signal(UnixSignal.Kill);

        Assert.Equal(128 + 9, await drover.WaitForExitAsync());
        await ChildProcesses.NoneSurviveAsync(processes);
    }

    [Fact]
    public async Task After_SIGKILL_during_the_stop_timeout_the_processes_still_being_waited_for_die_too()
    {
        using var app = TempApp.Create().WithProcfile(
            $"stubborn: {ChildProcesses.ShellWithSleepers(2, prelude: "trap '' TERM; ")}",
            $"deep: {PoliteParentOfStubbornChildren}");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-t", "60");
        var processes = new List<TrackedProcess>();
        processes.AddRange(await drover.WaitForReadyAsync("stubborn.1"));
        processes.AddRange(await WaitForPidsAsync(drover, "deep.1", count: 4));
        drover.Signal(UnixSignal.Terminate);
        await drover.WaitForSystemAsync("deep.1 killed by SIGTERM");
        processes.AddRange(RunningDescendants(drover.Pid));
        drover.KillOnDispose(processes);

        drover.Signal(UnixSignal.Kill);

        Assert.Equal(128 + 9, await drover.WaitForExitAsync());
        await ChildProcesses.NoneSurviveAsync(processes);
    }

    /// <summary>Waits for <paramref name="count"/> "pid N" lines from <paramref name="instance"/> and tracks those processes.</summary>
    private static async Task<IReadOnlyList<TrackedProcess>> WaitForPidsAsync(DroverProcess drover, string instance, int count)
    {
        await drover.WaitForOutputAsync(instance, t => t.StartsWith("pid ", StringComparison.Ordinal), occurrence: count);
        return [.. drover.TextOf(instance)
            .Where(t => t.StartsWith("pid ", StringComparison.Ordinal))
            .Select(t => TrackedProcess.Capture(int.Parse(t["pid ".Length..], CultureInfo.InvariantCulture)))];
    }

    private static IEnumerable<TrackedProcess> RunningDescendants(int pid) =>
        ProcessTable.Descendants(pid).Where(p => p.IsRunning).Select(p => new TrackedProcess(p.Pid, p.StartTime));
}
