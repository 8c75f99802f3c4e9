using System.IO.Compression;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// A type's own log file (<c>log_location</c> in the settings file, issue #19 item 1), against the real binary: every
/// line of the type's instances in it, rotated and gzipped like --log-dir's files, and found by `drover logs` (search
/// and -f) with or without a running Drover.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TypeLogLocationTests
{
    /// <summary>The text after "TIME NAME | " of each file line.</summary>
    private static string[] Texts(IEnumerable<string> lines) => [.. lines.Select(l => l[(l.IndexOf(" | ", StringComparison.Ordinal) + 3)..])];

    /// <summary>Every line of a log's files (rotated, gzipped ones included), oldest file first.</summary>
    private static List<string> LinesOf(string folder, string log)
    {
        var files = Directory.GetFiles(folder, log + ".log*")
            .OrderBy(f => f.EndsWith(".log", StringComparison.Ordinal) ? long.MaxValue : long.Parse(Path.GetFileName(f)[(log.Length + 5)..].Replace(".gz", ""), System.Globalization.CultureInfo.InvariantCulture));
        var lines = new List<string>();
        foreach (string file in files)
        {
            using Stream raw = File.OpenRead(file);
            using Stream stream = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }
        }
        return lines;
    }

    [Fact]
    public async Task A_types_file_gets_every_line_of_its_instances_rotated_and_gzipped_and_drover_logs_finds_them_after_drover_exits()
    {
        // Relative to the settings file's folder, not to where drover runs (a temp folder here).
        using var app = TempApp.Create().WithFile("process-compose.yaml",
            "processes:",
            "  web:",
            "    command: seq -f 'web %06.0f of a line long enough to rotate often' 1 20000",
            "    replicas: 2",
            "    log_location: var/web.log",
            "  worker:",
            "    command: echo 'worker says hi'",
            "    log_location: ./other/worker.log",
            "  quiet:",
            "    command: echo 'only on stdout'");
        var run = await DroverProcess.RunAsync(Path.GetTempPath(), "start", "-f", app.PathOf("process-compose.yaml"), "-p", $"{TestPorts.RandomBase()}",
            "--no-color", "--restart", "never", "--log-max-size", "256K", "--log-gzip", "--log-keep", "100");
        Assert.True(run.ExitCode == 0, run.ToString());

        var web = LinesOf(app.PathOf("var"), "web");
        var expected = Enumerable.Range(1, 20000).Select(n => $"web {n:D6} of a line long enough to rotate often").ToList();
        Assert.Equal(expected, Texts(web.Where(l => l.Contains(" web.1 | ", StringComparison.Ordinal))));
        Assert.Equal(expected, Texts(web.Where(l => l.Contains(" web.2 | ", StringComparison.Ordinal))));
        Assert.Equal(40000, web.Count); // nothing else: no other type's lines, no lifecycle lines
        Assert.True(Directory.GetFiles(app.PathOf("var"), "web.log.*.gz").Length >= 3);
        Assert.Equal(["worker says hi"], Texts(LinesOf(app.PathOf("other"), "worker")));
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "var", "web.log")));

        // No Drover running: from the settings file, a type, an instance (its lines of the type's file), everything.
        var two = await DroverProcess.RunAsync(app.Root, "logs", "--procfile", "process-compose.yaml", "web.2", "--grep", "0199[0-9]9 ");
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.Equal([.. Enumerable.Range(0, 10).Select(n => $"web 0199{n}9 of a line long enough to rotate often")], Texts(two.StdoutLines));
        Assert.All(two.StdoutLines, l => Assert.Contains(" web.2 | ", l, StringComparison.Ordinal));
        var last = await DroverProcess.RunAsync(app.Root, "logs", "--procfile", "process-compose.yaml", "web", "-n", "1");
        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.EndsWith("| web 020000 of a line long enough to rotate often", Assert.Single(last.StdoutLines));
        var all = await DroverProcess.RunAsync(app.Root, "logs", "--procfile", "process-compose.yaml", "--grep", "hi|web 000001 ");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal(3, all.StdoutLines.Count);
        Assert.Contains(all.StdoutLines, l => l.EndsWith(" worker.1 | worker says hi", StringComparison.Ordinal));
        var unknown = await DroverProcess.RunAsync(app.Root, "logs", "--procfile", "process-compose.yaml", "quiet", "--since", "1h");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no log files of 'quiet'", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_follow_a_types_file_of_the_running_drover_and_rotate_reaches_it()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo 'first'; while [ ! -e go ]; do sleep 0.05; done; echo 'second'; exec sleep 1000")
            .WithFile("drover.yaml", "processes:", "  web:", "    log_location: logs/web.log");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForOutputAsync("web.1", "first");
        using var follower = DroverProcess.Start(app.Root, "logs", "-f", "web", "--since", "1h");
        await follower.Stdout.WaitForLineAsync(l => l.EndsWith(" web.1 | first", StringComparison.Ordinal), DroverProcess.Patience);

        var rotate = await DroverProcess.RunAsync(app.Root, "logs", "--rotate");
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        Assert.Contains(app.PathOf("logs/web.log.000001"), rotate.Stdout, StringComparison.Ordinal);
        app.WithFile("go");
        await drover.WaitForOutputAsync("web.1", "second");
        await follower.Stdout.WaitForLineAsync(l => l.EndsWith(" web.1 | second", StringComparison.Ordinal), DroverProcess.Patience);
        follower.Signal(UnixSignal.Interrupt);
        await follower.WaitForExitAsync(outputToo: false);
        Assert.Equal(["first", "second"], Texts(follower.Stdout.Lines));
        Assert.Equal(["second"], Texts(File.ReadAllLines(app.PathOf("logs/web.log"))));

        drover.Signal(UnixSignal.Terminate);
        await drover.WaitForExitAsync();
    }

    [Theory]
    [InlineData("out.txt", "4:19: web.log_location: 'out.txt' does not name a file ending in .log")]
    [InlineData("afolder.log", "4:19: web.log_location: 'afolder.log' is a folder")]
    [InlineData("aplainfile/web.log", "4: web.log_location: cannot write ")]
    [InlineData("'{PC_REPLICA_NUM}.log'", "4:19: web.log_location: {PC_REPLICA_NUM} is not supported by Drover")]
    [InlineData("''", "4:19: web.log_location: is empty")]
    [InlineData("logs/web.log", "4: web.log_location: ")]
    public async Task A_bad_log_location_is_named_with_file_line_and_key_and_nothing_starts(string location, string expected)
    {
        using var app = TempApp.Create()
            .WithFolder("afolder.log")
            .WithFile("aplainfile", "not a folder")
            .WithFile("process-compose.yaml", "processes:", "  web:", "    command: echo started > started.txt; exec sleep 1000", $"    log_location: {location}");
        var run = await DroverProcess.RunAsync(app.Root, "start", "-f", "process-compose.yaml", "-p", $"{TestPorts.RandomBase()}", "--log-dir", "logs");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{app.PathOf("process-compose.yaml")}:{expected}", run.Stderr, StringComparison.Ordinal);
        Assert.False(app.Exists("started.txt"));
    }

    [Fact]
    public async Task Two_types_on_one_file_is_an_error_at_the_second()
    {
        using var app = TempApp.Create().WithFile("process-compose.yaml",
            "processes:",
            "  web:",
            "    command: echo started > started.txt",
            "    log_location: shared.log",
            "  api:",
            "    command: echo started > started.txt",
            "    log_location: ./shared.log");
        var run = await DroverProcess.RunAsync(app.Root, "start", "-f", "process-compose.yaml", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{app.PathOf("process-compose.yaml")}:7: api.log_location: {app.PathOf("shared.log")} is already the file of web (line 4)", run.Stderr, StringComparison.Ordinal);
        Assert.False(app.Exists("started.txt"));
        Assert.False(app.Exists("shared.log"));
    }
}
