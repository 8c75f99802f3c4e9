using System.Text.RegularExpressions;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>How <c>drover start</c> shows its processes' output: one stream of whole, prefixed lines.</summary>
public sealed class ProcessOutputTests
{
    [Fact]
    public async Task Each_line_starts_with_the_time_and_the_instance_name_padded_to_the_widest_name()
    {
        using var app = TempApp.Create().WithProcfile("web: echo hello from web", "background-worker: echo hello from worker");

        var result = await DroverProcess.RunAsync(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        const int width = 19; // "background-worker.1"
        Assert.Contains(result.StdoutLines, l => Regex.IsMatch(l, $@"^\d\d:\d\d:\d\d {Regex.Escape("web.1".PadRight(width))} \| hello from web$"));
        Assert.Contains(result.StdoutLines, l => Regex.IsMatch(l, $@"^\d\d:\d\d:\d\d {Regex.Escape("background-worker.1")} \| hello from worker$"));
        Assert.Contains(result.StdoutLines, l => Regex.IsMatch(l, $@"^\d\d:\d\d:\d\d {Regex.Escape("system".PadRight(width))} \| web\.1 started with pid \d+ on port \d+$"));
        Assert.All(result.StdoutLines, l => Assert.Matches(@"^\d\d:\d\d:\d\d \S+ * \| ", l));
    }

    [Fact]
    public async Task A_process_whose_output_starts_with_an_empty_line_is_shown_and_Drover_carries_on()
    {
        using var app = TempApp.Create().WithProcfile("e: echo; echo after-the-empty-line");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("e.1    | ", result.StdoutLines);
        Assert.Contains("e.1    | after-the-empty-line", result.StdoutLines);
        Assert.Contains("system | all processes finished", result.StdoutLines);
    }

    [Fact]
    public async Task Names_are_padded_at_least_to_the_width_of_system()
    {
        using var app = TempApp.Create().WithProcfile("a: echo short name");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("a.1    | short name", result.StdoutLines);
        Assert.Contains("system | all processes finished", result.StdoutLines);
    }

    [Fact]
    public async Task Without_timestamps_each_line_starts_with_the_padded_name()
    {
        using var app = TempApp.Create().WithProcfile("web: echo hello", "worker: echo bye");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("web.1    | hello", result.StdoutLines);
        Assert.Contains("worker.1 | bye", result.StdoutLines);
        Assert.Contains("system   | web.1 exited with code 0", result.StdoutLines);
        Assert.Equal("system   | all processes finished", result.StdoutLines[^1]);
    }

    [Fact]
    public async Task Output_redirected_to_a_pipe_has_no_colors()
    {
        using var app = TempApp.Create().WithProcfile("web: echo plain");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain('\e', result.Stdout);
    }

    [Fact]
    public async Task Stderr_of_a_process_is_shown_like_its_stdout()
    {
        using var app = TempApp.Create().WithProcfile("web: echo to stdout; echo to stderr >&2");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["to stdout", "to stderr"], result.Lines.Where(l => l.Name == "web.1").Select(l => l.Text));
    }

    [Fact]
    public async Task An_unterminated_last_line_is_shown_as_a_line_of_its_own_before_the_exit()
    {
        using var app = TempApp.Create().WithProcfile("web: echo first; printf 'last without newline'");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdoutLines.ToList();
        int last = lines.IndexOf("web.1  | last without newline");
        Assert.True(last >= 0, result.ToString());
        Assert.Equal("web.1  | first", lines[last - 1]);
        Assert.True(last < lines.IndexOf("system | web.1 exited with code 0"), result.ToString());
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF8_pass_through_unchanged()
    {
        using var app = TempApp.Create().WithProcfile(@"web: printf 'before\377\376after\300\n'");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.Equal(0, await drover.WaitForExitAsync());

        byte[] expected = [.. "web.1  | before"u8, 0xFF, 0xFE, .. "after"u8, 0xC0, (byte)'\n'];
        Assert.True(drover.Stdout.Bytes.AsSpan().IndexOf(expected) >= 0, drover.Dump());
    }

    [Fact]
    public async Task A_100_KiB_line_without_newline_comes_out_in_prefixed_pieces_with_every_byte()
    {
        const int size = 100 * 1024;
        using var app = TempApp.Create().WithProcfile($"web: head -c {size} /dev/zero | tr '\\0' x");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stderr}");
        var pieces = result.StdoutLines.Where(l => !l.StartsWith("system | ", StringComparison.Ordinal)).ToList();
        Assert.True(pieces.Count >= 2, $"expected the line in several pieces, got {pieces.Count}");
        Assert.All(pieces, p => Assert.Matches("^web\\.1  \\| x+$", p));
        Assert.Equal(size, pieces.Sum(p => p.Length - "web.1  | ".Length));
        // What README and docs/architecture.md promise: pieces of exactly 65536 bytes, the last one shorter.
        Assert.Equal([65536, size - 65536], pieces.Select(p => p.Length - "web.1  | ".Length));
    }

    [Fact]
    public async Task A_100_KiB_line_with_a_newline_comes_out_in_prefixed_pieces_with_every_byte()
    {
        const int size = 100 * 1024;
        using var app = TempApp.Create().WithProcfile($"web: head -c {size} /dev/zero | tr '\\0' y; echo; echo after");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stderr}");
        var texts = result.Lines.Where(l => l.Name == "web.1").Select(l => l.Text).ToList();
        Assert.Equal("after", texts[^1]);
        var pieces = texts[..^1];
        Assert.True(pieces.Count >= 2, $"expected the line in several pieces, got {pieces.Count}");
        Assert.All(pieces, p => Assert.Matches("^y+$", p));
        Assert.Equal(size, pieces.Sum(p => p.Length));
        Assert.Equal([65536, size - 65536], pieces.Select(p => p.Length));
    }

    [Fact]
    public async Task Lines_written_concurrently_by_two_processes_each_appear_once_intact_and_in_order()
    {
        const int count = 20_000;
        using var app = TempApp.Create().WithProcfile(
            $"alpha: seq -f 'alpha line %g of the first process' 1 {count}",
            $"beta: i=1; while [ $i -le {count} ]; do echo \"beta line $i from a shell loop, a little longer than alpha's\"; i=$((i+1)); done");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stderr}");
        AssertSequence(
            Enumerable.Range(1, count).Select(i => $"alpha line {i} of the first process"),
            result.Lines.Where(l => l.Name == "alpha.1").Select(l => l.Text));
        AssertSequence(
            Enumerable.Range(1, count).Select(i => $"beta line {i} from a shell loop, a little longer than alpha's"),
            result.Lines.Where(l => l.Name == "beta.1").Select(l => l.Text));
        // Nothing else: no glued, split or unprefixed lines.
        Assert.All(result.StdoutLines, l => Assert.Matches(@"^(alpha\.1|beta\.1 |system ) \| ", l));
        Assert.Equal(2 * count, result.Lines.Count(l => l.Name != "system"));
    }

    [Fact]
    public async Task Output_written_just_before_a_crash_comes_out_before_the_exit_message()
    {
        using var app = TempApp.Create().WithProcfile("web: seq 1 500; echo last words; exit 4");

        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "--restart", "never");
        Assert.Equal(1, await drover.WaitForExitAsync());

        var lines = drover.Stdout.Lines.ToList();
        int last = lines.IndexOf("web.1  | last words");
        int exited = lines.IndexOf("system | web.1 exited with code 4");
        Assert.True(last >= 0 && exited > last, drover.Dump());
    }

    [Fact]
    public async Task Drover_keeps_supervising_after_the_reader_of_its_output_goes_away()
    {
        // drover's stdout goes into `head -n 2`, which then exits: the next writes fail with EPIPE.
        const string script = """
            { "$0" "$@" & p=$!; echo "drover pid $p" >&2; wait $p; echo "drover exit $?" >&2; } \
              | { head -n 2; echo "reader gone"; exec 0<&-; touch reader-gone; }
            """;
        using var app = TempApp.Create().WithProcfile(
            "web: echo one; echo two; while [ ! -e reader-gone ]; do sleep 0.05; done; seq 1 1000; echo done >&2");
        using var wrapper = DroverProcess.StartThroughShell(app.Root, script, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        await wrapper.Stdout.WaitForLineAsync(l => l == "reader gone", DroverProcess.Patience);
        string exit = await wrapper.Stderr.WaitForLineAsync(l => l.StartsWith("drover exit ", StringComparison.Ordinal), DroverProcess.Patience);

        Assert.Equal("drover exit 0", exit);
        Assert.Equal(0, await wrapper.WaitForExitAsync());
        // Nothing on stderr from drover itself: no exception, no complaint.
        Assert.All(wrapper.Stderr.Lines, l => Assert.StartsWith("drover ", l));
    }

    private static void AssertSequence(IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        for (int i = 0; i < Math.Min(e.Count, a.Count); i++)
        {
            if (e[i] != a[i])
            {
                Assert.Fail($"line {i + 1} differs: expected \"{e[i]}\" but got \"{Shorten(a[i])}\"");
            }
        }
        Assert.True(e.Count == a.Count, $"expected {e.Count} lines, got {a.Count}");
    }

    private static string Shorten(string s) => s.Length > 200 ? s[..200] + "..." : s;
}
