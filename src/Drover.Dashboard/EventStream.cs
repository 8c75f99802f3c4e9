using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Drover.Core.Output;
using Drover.Dashboard.Feed;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Drover.Dashboard;

/// <summary>
/// GET /api/events: one server-sent event stream per open page. First <c>history</c> (the sparklines so far),
/// the current <c>ps</c> frame and the recent <c>log</c> lines; then a <c>ps</c> frame whenever the feed has one
/// and a <c>log</c> batch at most every <see cref="Pace"/>. Only the newest frame matters, so a page that reads
/// slowly skips frames; log lines beyond the tail's capacity are dropped and counted (see <see cref="LogTail"/>).
/// </summary>
internal sealed class EventStream : IDisposable
{
    /// <summary>The least time between two sends: a flood costs the page a few updates a second, not thousands.</summary>
    public static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(150);

    private const int RecentLines = 200;
    private const int TailCapacity = 2000;

    private readonly FormationFeed _feed;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly IDisposable _subscription;
    private readonly LogTail _tail;
    private FormationFrame? _frame;

    private EventStream(FormationFeed feed, LogBook log)
    {
        _feed = feed;
        _subscription = feed.Subscribe(frame =>
        {
            Volatile.Write(ref _frame, frame);
            _wake.Writer.TryWrite(true);
        });
        _tail = new LogTail(log, RecentLines, TailCapacity, () => _wake.Writer.TryWrite(true));
    }

    /// <summary>Serves the stream until the page goes away or the dashboard stops.</summary>
    public static async Task Serve(HttpContext ctx, FormationFeed feed, LogBook log, CancellationToken stopping)
    {
        ctx.Response.ContentType = "text/event-stream";
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        using var stream = new EventStream(feed, log);
        try
        {
            await SseFormatter.WriteAsync(stream.Events(cancel.Token), ctx.Response.Body, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // The page closed, or Drover is stopping.
        }
    }

    private async IAsyncEnumerable<SseItem<string>> Events([EnumeratorCancellation] CancellationToken cancel)
    {
        yield return new SseItem<string>(JsonSerializer.Serialize(_feed.History(), DashboardJson.Default.DictionaryStringSeries), "history")
        {
            ReconnectionInterval = TimeSpan.FromSeconds(2),
        };
        Volatile.Write(ref _frame, _feed.Latest);
        while (true)
        {
            if (Interlocked.Exchange(ref _frame, null) is { } frame)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(frame, DashboardJson.Default.FormationFrame), "ps");
            }
            var names = (_feed.Latest?.Processes ?? []).Select(p => p.Name);
            if (_tail.Take(NameWidth.Of(names)) is { } batch)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(batch, DashboardJson.Default.LogBatch), "log");
            }
            await _wake.Reader.ReadAsync(cancel);
            await Task.Delay(Pace, cancel);
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _tail.Dispose();
    }
}
