using System.Globalization;
using System.Text.Json;
using Drover.Core.Control;
using Drover.Core.Control.Wire;
using Drover.Core.Supervision;
using Microsoft.AspNetCore.Http;

namespace Drover.Control;

/// <summary>
/// GET /v1/events?interval=2: the formation as newline-delimited JSON (<see cref="FormationEvent"/>), one frame at
/// once, one soon after each burst of the supervisor's typed changes (a start, an exit, a stop, a removal: the
/// controller's <c>FormationView</c>, never its text), and a fresh CPU/RSS sample every <c>interval</c> seconds.
/// The stream ends when the formation is over or the client goes away. For `drover tui`, and for anyone's script.
/// </summary>
internal static class EventsEndpoint
{
    /// <summary>A burst of changes (scaling up starts several processes) gets one frame.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(50);

    public static async Task Serve(HttpContext ctx, FormationController controller, IProcessStats stats)
    {
        var interval = Interval(ctx.Request.Query["interval"]);
        var cancel = ctx.RequestAborted;
        var sampler = new PsView(stats);
        var statesOnly = new PsView(new NoStats());
        var poke = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Called on the view's task: it only completes whatever frame request is pending.
        using var watch = controller.View.Watch(_ => Volatile.Read(ref poke).TrySetResult());
        ctx.Response.ContentType = "application/x-ndjson";
        Dictionary<int, PsEntry> sampled = [];
        var nextSample = DateTimeOffset.UtcNow;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                // Replaced before the frame is taken: a change after this point asks for the next frame.
                Volatile.Write(ref poke, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                bool sample = DateTimeOffset.UtcNow >= nextSample;
                var snapshot = await controller.View.CurrentAsync();
                List<PsEntry> rows;
                if (sample)
                {
                    rows = sampler.Rows(snapshot);
                    sampled = rows.Where(r => r.Pid is not null).ToDictionary(r => r.Pid!.Value);
                    nextSample = DateTimeOffset.UtcNow + interval;
                }
                else
                {
                    // CPU% over a few milliseconds would be noise: a process keeps its last sampled figures.
                    rows = [.. statesOnly.Rows(snapshot).Select(r => r.Pid is int pid && sampled.TryGetValue(pid, out var s)
                        ? r with { CpuPercent = s.CpuPercent, RssBytes = s.RssBytes } : r)];
                }
                var frame = new FormationEvent(
                    DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), sample, controller.View.Phase.ToString().ToLowerInvariant(),
                    controller.TypeNames, rows);
                await JsonSerializer.SerializeAsync(ctx.Response.Body, frame, WireJson.Default.FormationEvent, cancel);
                await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), cancel);
                await ctx.Response.Body.FlushAsync(cancel);

                var wait = nextSample - DateTimeOffset.UtcNow;
                var changed = Volatile.Read(ref poke).Task;
                var woke = await Task.WhenAny(changed, Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancel), controller.View.Following);
                if (woke == controller.View.Following)
                {
                    return; // The formation is over: the stream ends.
                }
                if (woke == changed)
                {
                    await Task.Delay(Settle, cancel);
                }
            }
        }
        catch (ControlException)
        {
            // The formation stopped between two frames.
        }
    }

    private static TimeSpan Interval(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return TimeSpan.FromSeconds(2);
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds is >= 0.2 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new ControlException($"interval must be a number of seconds from 0.2 to 3600, not '{text}'");
    }

    private sealed class NoStats : IProcessStats
    {
        public IReadOnlyDictionary<int, GroupUsage> Sample() => new Dictionary<int, GroupUsage>();
    }
}
