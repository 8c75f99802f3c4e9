using Drover.Core.Supervision;

namespace Drover.Posix.Tests;

public sealed class PosixProcessLauncherTests : IDisposable
{
    private static readonly TimeSpan Patience = Eventually.Patience;
    private readonly PosixProcessLauncher _launcher = new(reapOrphans: false);
    private readonly List<IRunningProcess> _started = [];

    private (IRunningProcess Process, CollectingSink Output) Start(string command, string? cwd = null, Dictionary<string, string>? env = null)
    {
        var sink = new CollectingSink();
        int spawnedPid = 0;
        var process = _launcher.Start(
            new ProcessSpec("test.1", command, cwd ?? Path.GetTempPath(), env ?? new() { ["PATH"] = "/usr/bin:/bin" }),
            sink,
            pid => spawnedPid = pid);
        Assert.Equal(process.Pid, spawnedPid);
        _started.Add(process);
        return (process, sink);
    }

    [Fact]
    public async Task Output_and_exit_code_of_a_shell_command_are_delivered()
    {
        var (process, output) = Start("echo hello; echo to-stderr >&2; exit 3");
        var status = await process.Exited.WaitAsync(Patience);
        await output.Completed.WaitAsync(Patience);
        Assert.Equal(ExitStatus.Exited(3), status);
        Assert.Equal("hello\nto-stderr\n", output.Text);
    }

    [Fact]
    public async Task Everything_written_before_exit_is_delivered_before_Exited_completes()
    {
        var (process, output) = Start("i=0; while [ $i -lt 5000 ]; do echo line-$i; i=$((i+1)); done");
        await process.Exited.WaitAsync(Patience);
        string text = output.Text;
        Assert.EndsWith("line-4999\n", text);
        Assert.Equal(5000, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_process_killed_by_a_signal_reports_the_signal()
    {
        var (process, _) = Start("kill -KILL $$");
        Assert.Equal(ExitStatus.Killed(Signals.Kill), await process.Exited.WaitAsync(Patience));
    }

    [Fact]
    public async Task The_child_leads_its_own_session_and_process_group()
    {
        var (process, output) = Start("echo ready; exec sleep 1000");
        await Eventually.Until(() => output.Text.Contains("ready"));
        var stat = ProcStat.Read(process.Pid);
        Assert.NotNull(stat);
        Assert.Equal(process.Pid, stat.Value.Pgrp);
        Assert.Equal(process.Pid, stat.Value.Session);
        Assert.True(process.Terminate());
        Assert.Equal(ExitStatus.Killed(Signals.Term), await process.Exited.WaitAsync(Patience));
    }

    [Fact]
    public async Task Stdin_is_dev_null_and_no_signal_is_ignored_or_blocked()
    {
        var (process, output) = Start("readlink /proc/$$/fd/0; exec grep -E '^Sig(Ign|Blk)' /proc/self/status");
        await process.Exited.WaitAsync(Patience);
        await output.Completed.WaitAsync(Patience);
        string[] lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/dev/null", lines[0]);
        // .NET ignores SIGPIPE; a child inheriting that would never die of a closed pipe (`yes | head`).
        // Only the classic signals 1-31 are checked: glibc's posix_spawn itself leaves its two internal
        // real-time signals ignored, which every glibc program re-arms at start.
        Assert.Equal(0UL, Mask(lines, "SigBlk:"));
        Assert.Equal(0UL, Mask(lines, "SigIgn:") & 0x7FFF_FFFFUL);
    }

    [Fact]
    public async Task Working_directory_and_environment_are_exactly_as_given()
    {
        string dir = Directory.CreateTempSubdirectory("drover-cwd-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["GREETING"] = "hi there" };
            var (process, output) = Start("pwd; echo \"$GREETING\"; echo \"home=$HOME\"", dir, env);
            await process.Exited.WaitAsync(Patience);
            await output.Completed.WaitAsync(Patience);
            Assert.Equal($"{dir}\nhi there\nhome=\n", output.Text);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_missing_working_directory_is_a_launch_error_naming_the_process()
    {
        var ex = Assert.Throws<LaunchException>(() => Start("true", "/nonexistent/drover-test"));
        Assert.Contains("test.1", ex.Message);
        Assert.Contains("No such file or directory", ex.Message);
    }

    [Fact]
    public async Task Signalling_the_group_reaches_grandchildren_and_GroupGone_completes_when_all_are_dead()
    {
        var (process, output) = Start("sh -c 'sleep 1000 & echo grandchild $!; wait' & sleep 1000 & echo child $!; wait");
        await Eventually.Until(() => output.Text.Contains("grandchild") && output.Text.Contains("child "));
        int[] pids = Pids(output.Text);
        Assert.All(pids, pid => Assert.True(ProcStat.IsAlive(pid)));

        Assert.True(process.Terminate());
        await process.Exited.WaitAsync(Patience);
        await process.GroupGone.WaitAsync(Patience);

        Assert.All(pids, pid => Assert.False(ProcStat.IsAlive(pid)));
        Assert.False(process.Terminate());
    }

    [Fact]
    public async Task GroupGone_waits_for_a_grandchild_that_outlives_the_leader()
    {
        var (process, output) = Start("trap '' TERM; sleep 1000 & echo grandchild $!");
        await process.Exited.WaitAsync(Patience);
        int grandchild = Pids(output.Text).Single();
        Assert.True(ProcStat.IsAlive(grandchild));
        Assert.False(process.GroupGone.IsCompleted);

        // SIGTERM is ignored by the grandchild; only SIGKILL ends the group.
        process.Terminate();
        Assert.False(process.GroupGone.IsCompleted);
        Assert.True(process.Kill());
        await process.GroupGone.WaitAsync(Patience);
        Assert.False(ProcStat.IsAlive(grandchild));
    }

    [Fact]
    public async Task Many_processes_exiting_at_once_are_all_reaped()
    {
        var processes = Enumerable.Range(0, 50).Select(i => Start($"exit {i % 7}").Process).ToList();
        var statuses = await Task.WhenAll(processes.Select(p => p.Exited)).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => ExitStatus.Exited(i % 7)), statuses);
    }

    private static ulong Mask(string[] lines, string field) =>
        Convert.ToUInt64(lines.Single(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim(), 16);

    private static int[] Pids(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.Parse(l.Split(' ')[1]))
            .ToArray();


    public void Dispose()
    {
        foreach (var p in _started)
        {
            p.Kill();
        }
        _launcher.Dispose();
    }
}
