using System.Diagnostics;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>`drover start --log-dir` and `drover logs` over the files (issue #19), against the real binary.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LogFilesTests
{
    private static Task<DroverResult> Drover(TempApp app, params string[] args) => DroverProcess.RunAsync(app.Root, args);

    /// <summary>The text after "TIME NAME | " of each file line.</summary>
    private static string[] Texts(IEnumerable<string> lines) => [.. lines.Select(l => l[(l.IndexOf(" | ", StringComparison.Ordinal) + 3)..])];

    [Fact]
    public async Task Output_goes_to_a_file_per_instance_and_a_combined_file_that_drover_logs_searches_after_drover_exits()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: for i in 1 2 3; do echo \"web line $i\"; done; exec sleep 1000", "worker: echo 'worker says hi'; exit 3")
            .WithFile(".foreman", "log_dir: var/log");
        using (var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}", "--restart", "never"))
        {
            await drover.WaitForOutputAsync("web.1", "web line 3");
            await drover.WaitForSystemAsync("worker.1 exited with code 3");

            var rotate = await Drover(app, "logs", "--rotate");
            Assert.True(rotate.ExitCode == 0, rotate.ToString());
            Assert.Contains("web.1.log.", rotate.Stdout);
            var status = await Drover(app, "logs", "--grep", "line [13]", "web");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Equal(["web line 1", "web line 3"], Texts(status.StdoutLines));

            drover.Signal(UnixSignal.Terminate);
            await drover.WaitForExitAsync();
        }

        string dir = app.PathOf("var/log");
        // Rotated on request; nothing written since, so no new active file for them.
        var files = Directory.GetFiles(dir).Select(Path.GetFileName).ToList();
        Assert.Contains(files, f => f!.StartsWith("web.1.log.0", StringComparison.Ordinal));
        Assert.DoesNotContain("web.1.log", files);
        string[] combined = [.. Directory.GetFiles(dir, "drover.log*").Order(StringComparer.Ordinal).SelectMany(File.ReadAllLines)];
        Assert.Contains(combined, l => l.Contains(" system | web.1 started with pid ", StringComparison.Ordinal));
        Assert.Contains(combined, l => l.EndsWith(" system | worker.1 exited with code 3", StringComparison.Ordinal));
        Assert.Contains(combined, l => l.EndsWith(" worker.1 | worker says hi", StringComparison.Ordinal));
        Assert.Equal(["worker says hi"], Texts(File.ReadAllLines(Directory.GetFiles(dir, "worker.1.log.0*").Single())));

        // No Drover now: from the app folder (.foreman's log_dir), and with --log-dir from anywhere.
        var all = await Drover(app, "logs", "web.1");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal(["web line 1", "web line 2", "web line 3"], Texts(all.StdoutLines));
        var last = await DroverProcess.RunAsync(Path.GetTempPath(), "logs", "--log-dir", dir, "--since", "10m", "-n", "1", "--grep", "exited");
        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.EndsWith("system | worker.1 exited with code 3", Assert.Single(last.StdoutLines));
        var none = await Drover(app, "logs", "--until", "2000-01-01");
        Assert.Equal(0, none.ExitCode);
        Assert.Empty(none.StdoutLines);
    }

    [Fact]
    public async Task Logs_follow_over_the_files_prints_every_line_once_across_many_rotations_under_a_flood()
    {
        // Half the flood before the follower starts, half after, across dozens of size rotations with gzip.
        using var app = TempApp.Create().WithProcfile(
            "web: seq 1 50000 | sed 's/^/n /'; while [ ! -e go ]; do sleep 0.05; done; seq 50001 200000 | sed 's/^/n /'; echo done; exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}", "--log-dir", "logs", "--log-max-size", "256K", "--log-gzip", "--log-keep", "1000");
        await drover.WaitForOutputAsync("web.1", "n 50000");
        using var follower = DroverProcess.Start(Path.GetTempPath(), "logs", "--log-dir", app.PathOf("logs"), "-f", "web.1");
        await follower.Stdout.WaitForLineAsync(l => l.EndsWith(" | n 50000", StringComparison.Ordinal), DroverProcess.Patience);
        app.WithFile("go");
        await drover.WaitForOutputAsync("web.1", "done");
        await follower.Stdout.WaitForLineAsync(l => l.EndsWith(" | done", StringComparison.Ordinal), DroverProcess.Patience);
        follower.Signal(UnixSignal.Interrupt);
        Assert.Equal(130, await follower.WaitForExitAsync(outputToo: false)); // interrupted, as by Ctrl-C

        var expected = Enumerable.Range(1, 200_000).Select(n => $"n {n}").Append("done");
        Assert.Equal(expected, Texts(follower.Stdout.Lines));
        Assert.True(Directory.GetFiles(app.PathOf("logs"), "web.1.log.*.gz").Length > 10);
        drover.Signal(UnixSignal.Terminate);
        await drover.WaitForExitAsync();
    }

    [Fact]
    public async Task Bad_log_flags_are_usage_errors_that_start_nothing()
    {
        using var app = TempApp.Create().WithProcfile("web: echo started > started.txt; exec sleep 1000");
        foreach (string[] args in new[]
        {
            new[] { "start", "--log-max-size", "10M" },
            ["start", "--log-dir", "logs", "--log-max-size", "1K"],
            ["start", "--log-dir", "logs", "--log-max-total", "lots"],
        })
        {
            var run = await Drover(app, args);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.StartsWith("drover: --log-", run.Stderr);
        }
        Assert.False(app.Exists("started.txt"));

        var badTime = await Drover(app, "logs", "--log-dir", app.Root, "--since", "yesterday");
        Assert.Equal(2, badTime.ExitCode);
        Assert.Contains("--since: 'yesterday' is not a time", badTime.Stderr);
        var badRegex = await Drover(app, "logs", "--log-dir", app.Root, "--grep", "(");
        Assert.Equal(2, badRegex.ExitCode);
        Assert.Contains("--grep: '(' is not a regular expression", badRegex.Stderr);
        var noDir = await Drover(app, "logs", "--since", "1h");
        Assert.Equal(2, noDir.ExitCode);
        Assert.Contains("give --log-dir", noDir.Stderr);
    }

    [Fact]
    public async Task A_full_disk_is_said_once_output_and_the_formation_go_on_and_writing_resumes_when_space_returns()
    {
        using var app = TempApp.Create().WithProcfile("ticker: i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 0.01; done");
        string mount = app.PathOf("small");
        Directory.CreateDirectory(mount);
        Run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount);
        try
        {
            // Leave only a little room, so the files fill it within a second or two.
            File.WriteAllBytes(Path.Combine(mount, "filler"), new byte[200 * 1024]);
            using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}", "--log-dir", Path.Combine(mount, "logs"));
            var full = await drover.WaitForSystemPrefixAsync("log files: cannot write to ");
            int atFull = LastTick(drover);
            // Output goes on: more ticks come on stdout while the disk is full.
            await drover.WaitForOutputAsync("ticker.1", $"tick {atFull + 100}");

            File.Delete(Path.Combine(mount, "filler"));
            var resumed = await drover.WaitForSystemPrefixAsync("log files: writing to ");
            Assert.Matches(@"again; \d+ lines are missing from the files$", resumed.Text);
            int atResume = LastTick(drover);
            var ps = await Drover(app, "ps");
            Assert.Contains("running", ps.Stdout);
            string file = Path.Combine(mount, "logs", "ticker.1.log");
            await Eventually.HoldsAsync(
                () => File.ReadLines(file).Any(l => l.EndsWith($" | tick {atResume + 10}", StringComparison.Ordinal)),
                DroverProcess.Patience, () => $"tick {atResume + 10} in {file}");

            drover.Signal(UnixSignal.Terminate);
            await drover.WaitForExitAsync();
            Assert.Single(drover.TextOf(OutputLine.System), t => t.StartsWith("log files: cannot write", StringComparison.Ordinal));
            Assert.Contains("No space left on device", full.Text);
            // Whole lines only: every line of every file parses.
            foreach (string written in Directory.GetFiles(Path.Combine(mount, "logs")))
            {
                Assert.All(File.ReadAllLines(written), l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z \S+ \| ", l));
            }
        }
        finally
        {
            Run("umount", "-l", mount);
        }
    }

    private static int LastTick(DroverProcess drover) =>
        int.Parse(drover.TextOf("ticker.1")[^1]["tick ".Length..], System.Globalization.CultureInfo.InvariantCulture);

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error} (these tests run as root, as CI does)");
    }
}
