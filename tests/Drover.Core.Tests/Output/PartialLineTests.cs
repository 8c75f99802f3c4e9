using System.Text;
using Drover.Core.Output;
using Drover.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Core.Tests.Output;

/// <summary>Issue #17 item 2: output without a trailing newline (a prompt) appears after a short idle, on a fake clock.</summary>
public sealed class PartialLineTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly CollectingStream _stream = new();
    private readonly LogBook _log = new(100);
    private readonly OutputHub _hub;
    private readonly OutputSource _web = new("web.1", 0);
    private readonly OutputSource _worker = new("worker.1", 1);

    public PartialLineTests() => _hub = new OutputHub(_stream, new PrefixFormatter(_time, false, false, 8), _log, _time) { ShowsPartialLines = true };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Everything written so far: a system line goes through the same queue, so once it shows, so has all before it.</summary>
    private async Task<string> WrittenSoFarAsync(string marker)
    {
        _hub.System(marker);
        await Poll.Until(() => _stream.Text.Contains(marker, StringComparison.Ordinal), marker);
        string text = _stream.Text;
        return text[..text.IndexOf("system", StringComparison.Ordinal)];
    }

    private async Task<string> FinishAsync()
    {
        await Poll.Completion(_hub.DisposeAsync().AsTask(), "the output hub to drain");
        return _stream.Text;
    }

    [Fact]
    public async Task A_prompt_without_a_newline_is_shown_under_its_prefix_once_the_process_has_been_quiet_for_the_delay()
    {
        var framer = new LineFramer(_hub, _web);
        framer.Write(Utf8("name? "));
        _time.Advance(LineFramer.PartialLineDelay);

        await Poll.Until(() => _stream.Text == "web.1    | name? ", "the prompt");
        framer.Write(Utf8("bob\n"));

        Assert.Equal("web.1    | name? bob\n", await FinishAsync());
    }

    [Fact]
    public async Task Before_the_delay_an_unfinished_line_is_held()
    {
        var framer = new LineFramer(_hub, _web);
        framer.Write(Utf8("name? "));
        _time.Advance(LineFramer.PartialLineDelay - TimeSpan.FromMilliseconds(1));

        Assert.Equal("", await WrittenSoFarAsync("marker"));
    }

    [Fact]
    public async Task A_line_still_arriving_is_held_until_it_has_been_quiet_for_a_whole_delay()
    {
        var framer = new LineFramer(_hub, _web);
        framer.Write(Utf8("a"));
        _time.Advance(LineFramer.PartialLineDelay * 0.6);
        framer.Write(Utf8("b"));
        _time.Advance(LineFramer.PartialLineDelay * 0.6);
        Assert.Equal("", await WrittenSoFarAsync("marker"));

        _time.Advance(LineFramer.PartialLineDelay);
        await Poll.Until(() => _stream.Text.EndsWith("ab", StringComparison.Ordinal), "the line so far");
        framer.Write(Utf8("c\n"));

        Assert.Equal("system   | marker\nweb.1    | abc\n", await FinishAsync());
    }

    [Fact]
    public async Task Another_sources_lines_go_above_the_shown_prompt_which_is_drawn_again_and_continued()
    {
        var web = new LineFramer(_hub, _web);
        var worker = new LineFramer(_hub, _worker);
        web.Write(Utf8("name? "));
        _time.Advance(LineFramer.PartialLineDelay);
        await Poll.Until(() => _stream.Text.Contains("name? ", StringComparison.Ordinal), "the prompt");

        worker.Write(Utf8("working\n"));
        web.Write(Utf8("bob\n"));

        Assert.Equal("web.1    | name? \r\u001b[Kworker.1 | working\nweb.1    | name? bob\n", await FinishAsync());
    }

    [Fact]
    public async Task Another_sources_partial_line_finishes_the_shown_one_and_its_rest_gets_its_own_prefix()
    {
        var web = new LineFramer(_hub, _web);
        var worker = new LineFramer(_hub, _worker);
        web.Write(Utf8("name? "));
        _time.Advance(LineFramer.PartialLineDelay);
        await Poll.Until(() => _stream.Text.Contains("name? ", StringComparison.Ordinal), "the prompt");
        worker.Write(Utf8("task? "));
        _time.Advance(LineFramer.PartialLineDelay);
        await Poll.Until(() => _stream.Text.Contains("task? ", StringComparison.Ordinal), "the second prompt");

        web.Write(Utf8("bob\n"));

        // web's rest goes above worker's prompt, which is drawn again below it (and finished when the hub ends).
        Assert.Equal("web.1    | name? \nworker.1 | task? \r\u001b[Kweb.1    | bob\nworker.1 | task? \n", await FinishAsync());
    }

    [Fact]
    public async Task Without_partial_lines_a_prompt_waits_for_its_newline()
    {
        var stream = new CollectingStream();
        var hub = new OutputHub(stream, new PrefixFormatter(_time, false, false, 8), null, _time);
        var framer = new LineFramer(hub, _web);
        framer.Write(Utf8("name? "));
        _time.Advance(LineFramer.PartialLineDelay * 10);
        hub.System("marker");
        await Poll.Until(() => stream.Text.Contains("marker", StringComparison.Ordinal), "marker");
        framer.Write(Utf8("bob\n"));
        await hub.DisposeAsync();

        Assert.Equal("system   | marker\nweb.1    | name? bob\n", stream.Text);
    }

    [Fact]
    public async Task The_log_keeps_the_whole_line()
    {
        var framer = new LineFramer(_hub, _web);
        framer.Write(Utf8("name? "));
        _time.Advance(LineFramer.PartialLineDelay);
        await Poll.Until(() => _stream.Text.Contains("name? ", StringComparison.Ordinal), "the prompt");
        framer.Write(Utf8("bob\nnext\n"));
        await FinishAsync();

        var (recent, _) = _log.Read(_ => true, 10, follow: false);
        Assert.Equal(["name? bob\n", "next\n"], recent.Select(c => Encoding.UTF8.GetString(c.Data)));
    }

    [Fact]
    public async Task A_line_left_open_when_the_process_ends_is_finished()
    {
        var framer = new LineFramer(_hub, _web);
        framer.Write(Utf8("bye"));
        _time.Advance(LineFramer.PartialLineDelay);
        await Poll.Until(() => _stream.Text.Contains("bye", StringComparison.Ordinal), "the partial line");

        framer.Complete();
        _hub.System("exited");

        Assert.Equal("web.1    | bye\nsystem   | exited\n", await FinishAsync());
        var (recent, _) = _log.Read(n => n == "web.1", 10, follow: false);
        Assert.Equal(["bye\n"], recent.Select(c => Encoding.UTF8.GetString(c.Data)));
    }

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();
}
