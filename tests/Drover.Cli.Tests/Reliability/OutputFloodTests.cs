using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests.Reliability;

/// <summary>
/// Output under load: processes that write as fast as they can, and a reader of drover's output that is slower
/// than they are. Nothing may be lost, duplicated, cut, glued to another line or reordered within a process.
/// </summary>
public sealed class OutputFloodTests
{
    [Fact]
    public async Task Four_processes_flooding_200000_lines_each_come_out_whole_once_and_in_order()
    {
        const int lines = 200_000;
        var floods = Enumerable.Range(1, 4).ToDictionary(i => $"w{i}.1", i => (Tag: $"w{i}", Lines: lines));
        using var app = TempApp.Create()
            .WithFloodScript()
            .WithProcfile([.. Enumerable.Range(1, 4).Select(i => $"w{i}: {Flood.Command($"w{i}", lines)}")]);
        using var drover = DroverProcess.Start(
            app.Root, "start", "--no-timestamp", "--restart", "never", "-p", $"{TestPorts.RandomBase()}");

        Assert.Equal(0, await drover.WaitForExitAsync());

        var system = Flood.AssertComplete(drover.Stdout.Bytes, floods);
        Assert.All(floods.Keys, name => Assert.Contains($"{name} exited with code 0", system));
        Assert.Equal("all processes finished", system[^1]);
    }

    [Fact]
    public async Task A_reader_that_does_not_read_for_a_while_still_gets_every_line_once_and_in_order()
    {
        const int lines = 50_000;
        // Drover's stdout is a pipe nobody reads for 2 s: far more than the pipe holds (and than drover queues)
        // is written meanwhile, so drover and then the floods must wait for the reader instead of dropping lines.
        const string script = """
            { "$0" "$@"; echo "drover exit $?" >&2; } | { sleep 2; exec cat; }
            """;
        var floods = new Dictionary<string, (string Tag, int Lines)> { ["f1.1"] = ("f1", lines), ["f2.1"] = ("f2", lines) };
        using var app = TempApp.Create()
            .WithFloodScript()
            .WithProcfile($"f1: {Flood.Command("f1", lines)}", $"f2: {Flood.Command("f2", lines)}");
        using var reader = DroverProcess.StartThroughShell(
            app.Root, script, "start", "--no-timestamp", "--restart", "never", "-p", $"{TestPorts.RandomBase()}");

        Assert.Equal(0, await reader.WaitForExitAsync());

        Assert.Contains("drover exit 0", reader.Stderr.Lines);
        var system = Flood.AssertComplete(reader.Stdout.Bytes, floods);
        Assert.Equal("all processes finished", system[^1]);
    }
}
