using System.Text.Json;
using Drover.Control;

namespace Drover.Tui.Feed;

/// <summary>
/// The two streams the UI lives on, both pushed by the control API: the formation (GET /v1/events: a frame per
/// burst of typed changes, and a CPU/RSS sample every 2 s) and the output (GET /v1/logs?follow=true).
/// </summary>
internal static class ControlFeeds
{
    /// <summary>How long the log stream is left to fill after a short read (the UI draws every 100 ms anyway).</summary>
    private static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(30);

    /// <summary>Reads frames until the stream ends (the formation is over) or <paramref name="cancel"/>; returns why it ended.</summary>
    public static async Task<string> FollowFormationAsync(ControlClient client, Action<FormationFrame> onFrame, CancellationToken cancel)
    {
        var (status, body, error) = await client.OpenAsync("v1/events?interval=2", cancel).ConfigureAwait(false);
        if (body is null)
        {
            return $"the control API refused the event stream ({status}): {error}";
        }
        await using (body.ConfigureAwait(false))
        {
            var splitter = new LineSplitter();
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
            {
                foreach (string line in splitter.Add(buffer.AsSpan(0, n)))
                {
                    try
                    {
                        onFrame(FormationFrame.Parse(line));
                    }
                    catch (JsonException)
                    {
                        // Not a frame (an error line at the end of a stream): skipped.
                    }
                }
            }
        }
        return "the formation ended";
    }

    /// <summary>
    /// Reads the output of <paramref name="target"/> (null: every process), starting with its recent lines, handing
    /// each read's lines over as one batch; returns when the stream ends.
    /// </summary>
    public static async Task FollowLogAsync(ControlClient client, string? target, int recent, Action<IReadOnlyList<string>> onLines, CancellationToken cancel)
    {
        string path = $"v1/logs?follow=true&lines={recent}" + (target is null ? "" : $"&target={Uri.EscapeDataString(target)}");
        var (_, body, error) = await client.OpenAsync(path, cancel).ConfigureAwait(false);
        if (body is null)
        {
            onLines([$"drover: {error.Trim()}"]);
            return;
        }
        await using (body.ConfigureAwait(false))
        {
            var splitter = new LineSplitter();
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
            {
                var lines = splitter.Add(buffer.AsSpan(0, n));
                if (lines.Count > 0)
                {
                    onLines(lines);
                }
                if (n < buffer.Length / 2)
                {
                    // A busy formation flushes a little at a time: let it gather, rather than one read per flush.
                    await Task.Delay(GatherTime, cancel).ConfigureAwait(false);
                }
            }
        }
    }
}
