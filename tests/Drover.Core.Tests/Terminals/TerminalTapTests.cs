using System.Text;
using Drover.Core.Output;
using Drover.Core.Terminals;

namespace Drover.Core.Tests.Terminals;

/// <summary>The copy of a terminal's raw output for attached clients (issue #17 item 3), without processes.</summary>
public sealed class TerminalTapTests
{
    private sealed class Sink : IOutputSink
    {
        public StringBuilder Text { get; } = new();

        public bool Completed { get; private set; }

        public bool Write(ReadOnlySpan<byte> data)
        {
            Text.Append(Encoding.UTF8.GetString(data));
            return true;
        }

        public Task WhenWritable() => Task.CompletedTask;

        public void Complete() => Completed = true;
    }

    private static string Drain(TerminalAttachment attachment)
    {
        var text = new StringBuilder();
        while (attachment.Output.TryRead(out var chunk))
        {
            attachment.Taken(chunk);
            text.Append(Encoding.UTF8.GetString(chunk));
        }
        return text.ToString();
    }

    [Fact]
    public void The_replay_keeps_a_cursor_position_question_only_at_its_very_end()
    {
        // rdbg's line editor asks where the cursor is (ESC [ 6 n) and waits: asked last, the new client answers it.
        var waiting = new TerminalTap(new Sink(), () => { });
        waiting.Write("listing\n\u001b[1G\u25bd\u001b[6n"u8);
        using (var first = waiting.Attach())
        {
            Assert.Equal("listing\n\u001b[1G\u25bd\u001b[6n", Drain(first));
        }

        // Answered long ago: a client's terminal must not answer again into the debugger's input.
        var answered = new TerminalTap(new Sink(), () => { });
        answered.Write("\u001b[6n(rdbg) \u001b[6np x\n=> 42\n(rdbg) "u8);
        using var second = answered.Attach();
        Assert.Equal("(rdbg) p x\n=> 42\n(rdbg) ", Drain(second));
    }

    [Fact]
    public void A_client_gets_the_recent_output_first_then_everything_after_and_the_formation_gets_it_all()
    {
        var sink = new Sink();
        var tap = new TerminalTap(sink, () => { });
        tap.Write("line 1\n(Pdb) "u8);

        using var attachment = tap.Attach();
        tap.Write("p x\n42\n"u8);

        Assert.Equal("line 1\n(Pdb) p x\n42\n", Drain(attachment));
        Assert.Equal("line 1\n(Pdb) p x\n42\n", sink.Text.ToString());
    }

    [Fact]
    public void The_replay_is_the_last_2_KiB_only()
    {
        var tap = new TerminalTap(new Sink(), () => { });
        tap.Write(Encoding.ASCII.GetBytes(new string('a', 5000) + "prompt> "));

        using var attachment = tap.Attach();

        string replay = Drain(attachment);
        Assert.Equal(TerminalTap.ReplayBytes, replay.Length);
        Assert.EndsWith("aprompt> ", replay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_falls_too_far_behind_is_cut_off_while_the_formation_keeps_getting_everything()
    {
        var sink = new Sink();
        var tap = new TerminalTap(sink, () => { });
        using var slow = tap.Attach();
        byte[] block = new byte[64 * 1024];

        long written = 0;
        while (written <= TerminalAttachment.MaxQueuedBytes)
        {
            Assert.True(tap.Write(block));
            written += block.Length;
        }

        await Assert.ThrowsAsync<AttachmentTooSlowException>(async () =>
        {
            while (await slow.Output.WaitToReadAsync())
            {
                while (slow.Output.TryRead(out var chunk))
                {
                    slow.Taken(chunk);
                }
            }
        });
        Assert.Equal(written, sink.Text.Length);
    }

    [Fact]
    public async Task The_end_of_output_ends_every_client_a_detached_one_gets_nothing_more_and_a_late_one_gets_the_replay()
    {
        var sink = new Sink();
        int ended = 0;
        var tap = new TerminalTap(sink, () => ended++);
        using var stays = tap.Attach();
        var leaves = tap.Attach();
        tap.Write("before\n"u8);
        leaves.Dispose();
        tap.Write("after\n"u8);

        tap.Complete();

        Assert.Equal("before\nafter\n", await ReadToEnd(stays));
        Assert.Equal("before\n", await ReadToEnd(leaves));
        using var late = tap.Attach();
        Assert.Equal("before\nafter\n", await ReadToEnd(late));
        Assert.Equal(1, ended);
        Assert.True(sink.Completed);
    }

    // A guard, not a threshold: a reader that never ends fails the test instead of hanging the run.
    private static async Task<string> ReadToEnd(TerminalAttachment attachment)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var text = new StringBuilder();
        await foreach (var chunk in attachment.Output.ReadAllAsync(guard.Token))
        {
            attachment.Taken(chunk);
            text.Append(Encoding.UTF8.GetString(chunk));
        }
        return text.ToString();
    }
}
