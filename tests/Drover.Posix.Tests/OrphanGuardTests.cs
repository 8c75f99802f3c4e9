using Drover.Core.Supervision;
using Drover.Posix.Interop;

namespace Drover.Posix.Tests;

/// <summary>
/// The watchdog that takes the formation down when Drover dies, and leaves alone what is already gone. Closing
/// the guard is what the kernel does when Drover is killed, so these tests kill nothing but their own children.
/// </summary>
public sealed class OrphanGuardTests : IDisposable
{
    private static readonly TimeSpan Patience = Eventually.Patience;
    private readonly OrphanGuard _guard;
    private readonly PosixProcessLauncher _launcher;
    private readonly List<IRunningProcess> _started = [];

    public OrphanGuardTests()
    {
        var (guard, problem) = OrphanGuard.Start();
        Assert.True(guard is not null, $"the orphan guard did not start: {problem}");
        _guard = guard;
        _launcher = new PosixProcessLauncher(reapOrphans: false, _guard);
    }

    private (IRunningProcess Process, CollectingSink Output) Start(string command)
    {
        var sink = new CollectingSink();
        var process = _launcher.Start(
            new ProcessSpec("guarded.1", command, Path.GetTempPath(), new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }), sink, _ => { });
        _started.Add(process);
        return (process, sink);
    }

    [Fact]
    public async Task A_group_is_deregistered_before_anyone_learns_it_is_gone()
    {
        // Drover exits as soon as the supervisor has seen every GroupGone: a deregistration still on its way
        // then would leave the watchdog a group id to signal after Drover is gone.
        var processes = Enumerable.Range(0, 40).Select(i => Start($"exit {i % 3}").Process).ToList();
        foreach (var process in processes)
        {
            await process.GroupGone.WaitAsync(Patience);
            Assert.DoesNotContain(process.Pid, _guard.RegisteredGroups);
        }
        Assert.Empty(_guard.RegisteredGroups);
    }

    [Fact]
    public async Task After_every_group_is_gone_closing_the_guard_signals_nothing()
    {
        var (process, _) = Start("exit 0");
        await process.GroupGone.WaitAsync(Patience);
        // A group whose end Drover has not been told about yet (registered by hand here): gone, so dropped too.
        var (unreported, _) = Start("exit 0");
        await unreported.GroupGone.WaitAsync(Patience);
        _guard.Add(unreported.Pid);

        _guard.Dispose();

        Assert.Equal(0, await WatchdogExitStatusAsync());
    }

    [Fact]
    public async Task Groups_alive_when_the_guard_goes_away_are_killed_grandchildren_included()
    {
        var (process, output) = Start("(trap '' TERM; exec sleep 1000) & echo grandchild $!; echo ready; wait");
        await Eventually.Until(() => output.Text.Contains("ready"));
        int grandchild = int.Parse(output.Text.Split('\n')[0].Split(' ')[1]);

        _guard.Dispose();

        // The leader dies of SIGTERM; the grandchild ignores it and goes with the SIGKILL half a second later.
        Assert.Equal(ExitStatus.Killed(Signals.Term), await process.Exited.WaitAsync(Patience));
        await process.GroupGone.WaitAsync(Patience);
        Assert.False(ProcStat.IsAlive(grandchild));
        Assert.Equal(OrphanGuard.SignalledExitCode, await WatchdogExitStatusAsync());
    }

    [Fact]
    public async Task A_stopped_watchdog_never_blocks_registration_and_is_replaced()
    {
        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _guard.Warn = warnings.Enqueue;
        int stopped = _guard.WatchdogPid;
        Assert.Equal(0, Libc.kill(stopped, 19)); // SIGSTOP

        // Far more than its pipe holds: a blocking write would wait forever here. Ids above pid_max: nobody's.
        var registering = Task.Run(() =>
        {
            for (int g = 0; g < 10_000; g++)
            {
                _guard.Add(5_000_000 + g);
            }
        });
        await registering.WaitAsync(Patience);

        Assert.NotEqual(stopped, _guard.WatchdogPid);
        Assert.True(ProcStat.Read(stopped) is null or { State: 'Z' }, "the stopped watchdog was not killed");
        Assert.Contains(warnings, w => w.Contains($"orphan guard (pid {stopped})", StringComparison.Ordinal));
        Assert.Equal(10_000, _guard.RegisteredGroups.Length);
    }

    [Fact]
    public async Task A_killed_watchdog_is_noticed_and_its_successor_still_takes_the_groups_down()
    {
        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _guard.Warn = warnings.Enqueue;
        var (process, output) = Start("echo ready; exec sleep 1000");
        await Eventually.Until(() => output.Text.Contains("ready"));
        int killed = _guard.WatchdogPid;

        Assert.Equal(0, Libc.kill(killed, Signals.Kill));
        await Eventually.Until(() => _guard.WatchdogPid != killed);
        Assert.Contains(warnings, w => w.Contains("died", StringComparison.Ordinal));

        _guard.Dispose(); // what Drover's death does to the pipe
        Assert.Equal(ExitStatus.Killed(Signals.Term), await process.Exited.WaitAsync(Patience));
    }

    /// <summary>The watchdog's exit code: nobody reaps it here, so it waits as a zombie.</summary>
    private async Task<int> WatchdogExitStatusAsync()
    {
        int? status = null;
        await Eventually.Until(() => (status = ProcStat.ZombieExitStatus(_guard.WatchdogPid)) is not null);
        Assert.Equal(0, status!.Value & 0x7f); // exited, not killed
        return (status.Value >> 8) & 0xff;
    }


    public void Dispose()
    {
        foreach (var p in _started)
        {
            p.Kill();
        }
        _launcher.Dispose();
        _guard.Dispose();
    }
}
