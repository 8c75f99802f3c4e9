using System.Diagnostics;
using System.Globalization;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests.Reliability;

#pragma warning disable CA1416 // Linux only, like Drover

/// <summary>
/// Running out of file descriptors or processes fails the starts that need them, never Drover: a formation the
/// limits cannot hold is refused before anything starts, and a limit reached later fails only the instances that
/// need it, with the limit named, while the rest keeps running.
/// </summary>
public sealed class ResourceLimitTests
{
    [Fact]
    public async Task A_formation_beyond_the_open_file_limit_is_refused_before_anything_starts()
    {
        using var app = TempApp.Create().WithProcfile("s: sleep 1000");
        using var drover = DroverProcess.StartThroughShell(
            app.Root, "ulimit -n 300; exec \"$0\" \"$@\"", "start", "-m", "s=400", "-p", $"{TestPorts.RandomBase()}");

        Assert.Equal(2, await drover.WaitForExitAsync());
        Assert.Contains("RLIMIT_NOFILE", drover.Stderr.Text, StringComparison.Ordinal);
        Assert.Contains("ulimit -n", drover.Stderr.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(drover.Lines, l => l.Started is not null);
    }

    [Fact]
    public async Task A_formation_beyond_a_users_process_limit_is_refused_before_anything_starts()
    {
        using var app = TempApp.Create().WithProcfile("s: sleep 1000");
        using var drover = DroverProcess.StartThroughShell(
            app.Root, TestUser.Script("--nproc=60"), "start", "-m", "s=80", "-p", $"{TestPorts.RandomBase()}");

        // Before, it started as many as fit and then hung: the runtime could no longer create a thread.
        Assert.Equal(2, await drover.WaitForExitAsync());
        Assert.Contains("RLIMIT_NPROC", drover.Stderr.Text, StringComparison.Ordinal);
        Assert.Contains("ulimit -u", drover.Stderr.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(drover.Lines, l => l.Started is not null);
    }

    [Fact]
    public async Task A_scale_beyond_the_open_file_limit_of_a_running_Drover_is_refused_and_starts_nothing()
    {
        using var app = TempApp.Create().WithProcfile("s: sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-m", "s=2", "-p", "1000");
        await drover.WaitForStartAsync("s.2");
        Prlimit(drover.Pid, "--nofile=200:");

        var scale = await DroverProcess.RunAsync(app.Root, "scale", "s=500");

        Assert.Equal(2, scale.ExitCode);
        Assert.Contains("nothing started", scale.Stderr, StringComparison.Ordinal);
        Assert.Contains("RLIMIT_NOFILE", scale.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", scale.Stderr, StringComparison.Ordinal); // no stack trace
        var ps = await DroverProcess.RunAsync(app.Root, "ps");
        Assert.Equal(0, ps.ExitCode);
        Assert.Equal(2, ps.StdoutLines.Count(l => l.StartsWith("s.", StringComparison.Ordinal)));
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task Running_out_of_file_descriptors_fails_only_the_start_that_needs_one_and_it_recovers()
    {
        using var app = TempApp.Create().WithProcfile("s: sleep 1000", "crash: sleep 0.2; exit 1");
        using var drover = DroverProcess.Start(
            app.Root, "start", "--no-timestamp", "-m", "s=3,crash=1", "--max-restart-delay", "0.2", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("s.3");
        await drover.WaitForStartAsync("crash.1", occurrence: 2);
        int[] sleepers = [.. drover.Lines.Select(l => l.Started).OfType<(string Instance, int Pid)>().Where(s => s.Instance.StartsWith("s.", StringComparison.Ordinal)).Select(s => s.Pid)];

        // No descriptor beyond those open now (less two: a pipe closed between the count and the limit would leave a
        // hole for the next one; seen with the AOT binary): the crasher's next pipe cannot be made.
        Prlimit(drover.Pid, $"--nofile={Directory.GetFileSystemEntries($"/proc/{drover.Pid}/fd").Length - 2}:");
        await drover.WaitForSystemPrefixAsync("crash.1 failed to start");
        int restartsSeen = drover.TextOf("system").Count(t => t.StartsWith("crash.1 restarting", StringComparison.Ordinal));
        await drover.WaitForOutputAsync(OutputLine.System, t => t.StartsWith("crash.1 restarting", StringComparison.Ordinal), restartsSeen + 3, "three more failed starts");

        // The orphan guard looks at its watchdog every second: while no descriptor is left it must not take it for
        // dead (it did, and its replacement closed the old pipe first, which killed every process).
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var system = drover.TextOf("system");
        Assert.DoesNotContain(system, t => t.Contains("orphan guard", StringComparison.Ordinal));
        string failure = Assert.Single(system, t => t.StartsWith("crash.1 failed to start", StringComparison.Ordinal));
        Assert.Contains("RLIMIT_NOFILE", failure, StringComparison.Ordinal);
        Assert.Single(system, t => t.Contains("ulimit -n", StringComparison.Ordinal));
        Assert.All(sleepers, pid => Assert.True(Directory.Exists($"/proc/{pid}"), $"s instance {pid} died"));

        int starts = drover.Lines.Count(l => l.Started?.Instance == "crash.1");
        Prlimit(drover.Pid, "--nofile=4096:");
        await drover.WaitForStartAsync("crash.1", occurrence: starts + 1);
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    private static void Prlimit(int pid, string limit)
    {
        using var p = Process.Start("prlimit", ["--pid", pid.ToString(CultureInfo.InvariantCulture), limit])!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
