using System.Text;
using Drover.Core.Output;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Output;

public sealed class LineFramerTests
{
    private const int MaxLine = LineFramer.MaxLine;
    private const string Prefix = "web.1  | ";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Printable text of <paramref name="length"/> bytes in which every position differs from its neighbours.</summary>
    private static string Pattern(int length) =>
        string.Create(length, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('!' + (i % 94));
            }
        });

    private static void WriteInPieces(LineFramer framer, string text, int pieceSize)
    {
        byte[] bytes = Utf8(text);
        for (int at = 0; at < bytes.Length; at += pieceSize)
        {
            framer.Write(bytes.AsSpan(at, Math.Min(pieceSize, bytes.Length - at)));
        }
    }

    /// <summary>The text of each output line with its prefix checked and removed.</summary>
    private static List<string> Contents(IReadOnlyList<string> lines)
    {
        Assert.All(lines, l => Assert.StartsWith(Prefix, l));
        return [.. lines.Select(l => l[Prefix.Length..])];
    }

    [Fact]
    public async Task A_whole_line_gets_the_prefix()
    {
        await using var capture = new OutputCapture(5);
        var framer = capture.Framer("web.1");

        Assert.True(framer.Write(Utf8("hello world\n")));

        Assert.Equal(["web.1  | hello world"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task Several_lines_in_one_write_each_get_the_prefix()
    {
        await using var capture = new OutputCapture(5);

        capture.Framer("web.1").Write(Utf8("one\ntwo\n\nfour\n"));

        Assert.Equal(["web.1  | one", "web.1  | two", "web.1  | ", "web.1  | four"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task A_line_split_across_many_writes_comes_out_whole()
    {
        await using var capture = new OutputCapture(5);
        var framer = capture.Framer("web.1");

        WriteInPieces(framer, "a line written one byte at a time\nand another\n", 1);

        Assert.Equal(["web.1  | a line written one byte at a time", "web.1  | and another"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task A_partial_last_line_waits_for_its_end_and_is_flushed_on_complete()
    {
        await using var capture = new OutputCapture(5);
        var framer = capture.Framer("web.1");

        framer.Write(Utf8("done\nno newline at the end"));
        await capture.Shows("done\n");
        Assert.DoesNotContain("no newline", capture.Stream.Text);
        framer.Complete();

        Assert.Equal(["web.1  | done", "web.1  | no newline at the end"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task Complete_without_a_partial_line_writes_nothing()
    {
        await using var capture = new OutputCapture(5);
        var framer = capture.Framer("web.1");

        framer.Write(Utf8("done\n"));
        framer.Complete();

        Assert.Equal(["web.1  | done"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task Invalid_utf8_and_control_bytes_pass_through_unchanged()
    {
        await using var capture = new OutputCapture(5);
        byte[] line = [0xff, 0xfe, (byte)'a', 0xc3, 0x28, 0xe2, 0x82, 0x1b, (byte)'[', (byte)'m', (byte)'\r', (byte)'\n'];

        capture.Framer("web.1").Write(line);

        byte[] written = await capture.FinishBytesAsync();

        Assert.Equal([.. Utf8(Prefix), .. line], written);
    }

    [Fact]
    public async Task A_line_of_exactly_MaxLine_bytes_in_one_write_stays_whole()
    {
        await using var capture = new OutputCapture(5);
        string text = Pattern(MaxLine);

        capture.Framer("web.1").Write(Utf8(text + "\n"));

        Assert.Equal([text], Contents(await capture.FinishLinesAsync()));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(MaxLine)]
    [InlineData(3 * MaxLine)]
    public async Task A_line_longer_than_MaxLine_without_newline_comes_out_in_pieces_with_no_byte_lost(int writeSize)
    {
        await using var capture = new OutputCapture(5);
        var framer = capture.Framer("web.1");
        string text = Pattern((2 * MaxLine) + 100);

        WriteInPieces(framer, text, writeSize);
        framer.Complete();

        var pieces = Contents(await capture.FinishLinesAsync());
        Assert.Equal([MaxLine, MaxLine, 100], pieces.Select(p => p.Length));
        Assert.Equal(text, string.Concat(pieces));
    }

    [Fact]
    public async Task The_pieces_of_an_endless_line_go_out_before_the_line_ends()
    {
        await using var capture = new OutputCapture(5);
        var framer = capture.Framer("web.1");
        string text = Pattern(MaxLine + 10);

        WriteInPieces(framer, text, 4096);

        await capture.Shows(text[..MaxLine] + "\n");
        framer.Complete();
        Assert.Equal([text[..MaxLine], text[MaxLine..]], Contents(await capture.FinishLinesAsync()));
    }

    [Theory]
    [InlineData(MaxLine + 1, 1)]
    [InlineData(MaxLine + 1, 1000)]
    [InlineData(MaxLine + 1, 1 << 20)]
    [InlineData((3 * MaxLine) + 5, 777)]
    [InlineData((3 * MaxLine) + 5, 1 << 20)]
    public async Task A_long_line_ending_with_a_newline_comes_out_in_pieces_of_at_most_MaxLine(int length, int writeSize)
    {
        await using var capture = new OutputCapture(5);
        var framer = capture.Framer("web.1");
        string text = Pattern(length);

        WriteInPieces(framer, text + "\nnext line\n", writeSize);

        var lines = Contents(await capture.FinishLinesAsync());
        Assert.Equal("next line", lines[^1]);
        var pieces = lines[..^1];
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, MaxLine));
        Assert.Equal((length + MaxLine - 1) / MaxLine, pieces.Count);
        Assert.Equal(text, string.Concat(pieces));
    }

    [Fact]
    public async Task A_line_of_exactly_MaxLine_bytes_whose_newline_comes_later_adds_no_empty_line()
    {
        await using var capture = new OutputCapture(5);
        var framer = capture.Framer("web.1");
        string text = Pattern(MaxLine);

        framer.Write(Utf8(text));
        framer.Write(Utf8("\nnext\n"));

        Assert.Equal([text, "next"], Contents(await capture.FinishLinesAsync()));
    }

    [Fact]
    public async Task Lines_from_two_framers_written_on_two_threads_never_interleave_and_keep_their_order()
    {
        const int LinesPerSource = 3000;
        await using var capture = new OutputCapture(3);
        var sources = new[] { ("a.1", 'a', 1), ("b.1", 'b', 2) };
        using var ready = new Barrier(sources.Length);

        var threads = sources.Select(source => new Thread(() =>
        {
            var (name, fill, seed) = source;
            var framer = capture.Framer(name);
            var random = new Random(seed);
            var text = new StringBuilder();
            for (int i = 0; i < LinesPerSource; i++)
            {
                text.Append(name).Append(' ').Append(i.ToString("D5")).Append(' ').Append(fill, random.Next(0, 300)).Append('\n');
            }
            byte[] bytes = Utf8(text.ToString());
            ready.SignalAndWait();
            for (int at = 0; at < bytes.Length;)
            {
                int n = Math.Min(random.Next(1, 200), bytes.Length - at);
                framer.Write(bytes.AsSpan(at, n));
                at += n;
            }
            framer.Complete();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var lines = await capture.FinishLinesAsync();

        Assert.Equal(2 * LinesPerSource, lines.Count);
        foreach (var (name, fill, _) in sources)
        {
            string prefix = $"{name}    | ";
            var mine = lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            Assert.Equal(LinesPerSource, mine.Count);
            for (int i = 0; i < mine.Count; i++)
            {
                string expectedStart = $"{prefix}{name} {i:D5} ";
                Assert.StartsWith(expectedStart, mine[i]);
                Assert.All(mine[i][expectedStart.Length..], c => Assert.Equal(fill, c));
            }
        }
    }
}
