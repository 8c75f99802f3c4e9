using System.Text;
using Drover.Core.Output;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Output;

public sealed class OutputHubTests
{
    private static readonly OutputSource Web = new("web.1", 0);
    private static readonly OutputSource Worker = new("worker.1", 1);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // ---- prefixes ----

    [Fact]
    public async Task Names_are_padded_to_at_least_the_width_of_system()
    {
        await using var capture = new OutputCapture(0);

        capture.Hub.Line(Web, "hello");
        capture.Hub.System("started");
        capture.Hub.Line(new OutputSource("a-very-long-name.12", 2), "long");

        Assert.Equal(["web.1  | hello", "system | started", "a-very-long-name.12 | long"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task Names_are_padded_to_the_name_width_when_it_is_wider()
    {
        await using var capture = new OutputCapture(8);

        capture.Hub.Line(Web, "hello");
        capture.Hub.Line(Worker, "working");
        capture.Hub.System("started");

        Assert.Equal(["web.1    | hello", "worker.1 | working", "system   | started"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task A_new_name_width_applies_from_the_next_line()
    {
        await using var capture = new OutputCapture(5);
        capture.Hub.Line(Web, "before");
        await capture.Shows("before\n");

        capture.Hub.SetNameWidth(10);
        capture.Hub.Line(Web, "after");
        await capture.Shows("after\n");
        capture.Hub.SetNameWidth(2);
        capture.Hub.Line(Web, "narrow");

        Assert.Equal(["web.1  | before", "web.1      | after", "web.1  | narrow"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task Lines_written_during_a_hold_come_out_when_it_ends_in_the_order_written()
    {
        await using var capture = new OutputCapture(5);
        capture.Hub.System("before");
        await capture.Shows("before\n");

        var hold = capture.Hub.Hold();
        capture.Hub.System("web.1 started");
        capture.Framer("web.1").Write(Utf8("hello\n"));
        capture.Hub.System("worker.1 started");
        // Cannot fail falsely: a hold that let lines through would usually show them by now.
        await Task.Delay(100);
        Assert.DoesNotContain("started", capture.Stream.Text, StringComparison.Ordinal);
        hold.Dispose();
        hold.Dispose(); // a second release is harmless
        capture.Hub.System("after");

        Assert.Equal(
            ["system | before", "system | web.1 started", "web.1  | hello", "system | worker.1 started", "system | after"],
            await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task A_message_with_several_lines_prefixes_each()
    {
        await using var capture = new OutputCapture(5);

        capture.Hub.System("first\nsecond");

        Assert.Equal(["system | first", "system | second"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task Timestamps_show_the_local_time_of_the_clock_and_follow_it()
    {
        var time = TestClock.Create();
        await using var capture = new OutputCapture(5, timestamps: true, time: time);

        capture.Hub.Line(Web, "one");
        await capture.Shows("one\n");
        time.Advance(TimeSpan.FromMilliseconds(999));
        capture.Hub.Line(Web, "two");
        await capture.Shows("two\n");
        time.Advance(TimeSpan.FromMilliseconds(1));
        capture.Hub.System("three");

        Assert.Equal(
            ["05:06:07 web.1  | one", "05:06:07 web.1  | two", "05:06:08 system | three"],
            await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task Timestamps_are_in_the_local_time_zone()
    {
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("Test+02", TimeSpan.FromHours(2), "Test+02", "Test+02");
        var time = TestClock.Create(plusTwo);
        await using var capture = new OutputCapture(5, timestamps: true, time: time);

        capture.Hub.Line(Web, "hello");

        Assert.Equal(["07:06:07 web.1  | hello"], await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task Without_color_no_escape_sequence_is_written()
    {
        await using var capture = new OutputCapture(5, color: false, timestamps: true, time: TestClock.Create());

        capture.Hub.Line(Web, "hello");
        capture.Hub.System("hi");

        Assert.DoesNotContain((byte)0x1b, await capture.FinishBytesAsync());
    }

    [Fact]
    public async Task With_color_the_prefix_is_colored_per_type_and_system_is_bold()
    {
        await using var capture = new OutputCapture(8, color: true);

        capture.Hub.Line(Web, "hello");
        capture.Hub.Line(Worker, "working");
        capture.Hub.Line(new OutputSource("clock.1", 13), "tick");
        capture.Hub.System("hi");

        Assert.Equal(
            [
                "\e[36mweb.1    |\e[0m hello",
                "\e[33mworker.1 |\e[0m working",
                "\e[33mclock.1  |\e[0m tick",
                "\e[1msystem   |\e[0m hi",
            ],
            await capture.FinishLinesAsync());
    }

    [Fact]
    public async Task With_color_and_timestamps_the_time_is_colored_too()
    {
        await using var capture = new OutputCapture(5, color: true, timestamps: true, time: TestClock.Create());

        capture.Hub.Line(Web, "hello");

        Assert.Equal(["\e[36m05:06:07 web.1  |\e[0m hello"], await capture.FinishLinesAsync());
    }

    // ---- the writer ----

    [Fact]
    public async Task Lines_keep_the_order_they_were_queued_in()
    {
        await using var capture = new OutputCapture(5);

        for (int i = 0; i < 1000; i++)
        {
            capture.Hub.Line(i % 2 == 0 ? Web : OutputSource.System, $"line {i}");
        }

        var lines = await capture.FinishLinesAsync();
        Assert.Equal(1000, lines.Count);
        Assert.All(lines.Select((line, i) => (line, i)), x => Assert.EndsWith($"| line {x.i}", x.line));
    }

    [Fact]
    public async Task The_hub_has_room_and_is_writable_when_idle()
    {
        await using var capture = new OutputCapture(5);

        Assert.True(capture.Hub.HasRoom);
        Assert.True(capture.Hub.WhenHasRoom().IsCompletedSuccessfully);
        Assert.True(capture.Framer("web.1").WhenWritable().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Output_after_dispose_is_dropped_without_error()
    {
        var capture = new OutputCapture(5);
        capture.Hub.System("before");
        await capture.DisposeAsync();

        capture.Hub.System("after");
        capture.Framer("web.1").Write(Utf8("after\n"));

        Assert.Equal(["system | before"], capture.Stream.Lines());
    }

    [Fact]
    public async Task A_stuck_stream_pushes_back_on_writers_until_it_moves_again_and_nothing_is_lost()
    {
        var stream = new BlockingStream();
        var capture = new OutputCapture(5, stream: stream);
        var framer = capture.Framer("web.1");
        try
        {
            // 64 KiB reads of whole 64-byte lines, until a little more than HighWater is queued.
            byte[] read = new byte[64 * 1024];
            for (int i = 0; i < read.Length; i++)
            {
                read[i] = i % 64 == 63 ? (byte)'\n' : (byte)('a' + (i / 64 % 26));
            }
            int reads = (int)(OutputHub.HighWater / read.Length) + 8;
            var answers = new List<bool>();
            for (int i = 0; i < reads; i++)
            {
                answers.Add(framer.Write(read));
            }
            await Poll.Until(() => stream.IsBlocked, "the writer to block on the stream");

            Assert.True(answers[0]);
            Assert.False(answers[^1]);
            Assert.False(capture.Hub.HasRoom);
            var writable = framer.WhenWritable();
            Assert.False(writable.IsCompleted);

            stream.Release();
            await Poll.Completion(writable, "the hub to drain below its low-water mark");

            await capture.DisposeAsync();
            byte[] prefix = Utf8("web.1  | ");
            byte[] expectedRead = [.. Enumerable.Range(0, read.Length / 64).SelectMany(l => prefix.Concat(read.Skip(l * 64).Take(64)))];
            byte[] written = stream.Bytes;
            Assert.Equal(expectedRead.Length * reads, written.Length);
            for (int i = 0; i < reads; i++)
            {
                Assert.True(expectedRead.AsSpan().SequenceEqual(written.AsSpan(i * expectedRead.Length, expectedRead.Length)), $"read {i} differs");
            }
        }
        finally
        {
            stream.Release();
            await capture.DisposeAsync();
            stream.Dispose();
        }
    }

    [Fact]
    public async Task A_stream_that_fails_with_an_IOException_is_dropped_and_the_hub_keeps_going()
    {
        var stream = new ThrowingStream();
        var capture = new OutputCapture(5, stream: stream);

        capture.Hub.System("first");
        await Poll.Until(() => stream.Attempts == 1, "the first write to fail");
        capture.Hub.System("second");
        capture.Framer("web.1").Write(Utf8("more\n"));

        await Poll.Completion(capture.Hub.DisposeAsync().AsTask(), "DisposeAsync after a failed stream");
        Assert.Equal(1, stream.Attempts);
        Assert.Empty(stream.Bytes);
        Assert.True(capture.Hub.WhenHasRoom().IsCompletedSuccessfully);
    }
}
