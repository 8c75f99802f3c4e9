using System.Text;
using Drover.Core.Output;

namespace Drover.Dashboard.Feed;

/// <summary>
/// One page's view of the output: the recent lines, then everything written afterwards, held in a queue of at most
/// <c>capacity</c> lines. The page takes what has accumulated a few times a second; when a process floods faster
/// than that, the oldest queued lines are dropped and counted, so the page shows a marker instead of freezing, and
/// the formation is never slowed. Lines are decoded only when taken, so dropped lines cost next to nothing.
/// </summary>
internal sealed class LogTail : IDisposable
{
    /// <summary>Longer lines are cut: a page is no place for a 64 KiB line.</summary>
    public const int MaxLineChars = 2000;

    /// <summary>The most bytes of log a page may have waiting; older chunks are dropped (and counted) beyond it.</summary>
    public const long MaxQueuedBytes = 1024 * 1024;

    private readonly LogBook _log;
    private readonly int _capacity;
    private readonly Action _onLines;
    private readonly object _gate = new();
    private readonly Queue<LogChunk> _chunks = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private int _queuedLines;
    private long _queuedBytes;
    private long _dropped;

    /// <summary>Starts following <paramref name="log"/>; <paramref name="onLines"/> is called (quickly, it must not block) when lines arrive.</summary>
    public LogTail(LogBook log, int recentLines, int capacity, Action onLines)
    {
        _log = log;
        _capacity = capacity;
        _onLines = onLines;
        // Subscribed before the constructor returns: every line written afterwards reaches this tail.
        var (recent, live) = log.Read(_ => true, recentLines, follow: true);
        foreach (var chunk in recent)
        {
            Add(chunk);
        }
        _reader = Task.Run(() => FollowAsync(live!));
    }

    /// <summary>Takes every queued line, and how many were dropped before them.</summary>
    /// <param name="nameWidth">The width names are padded to in the prefixes (<see cref="NameWidth"/>).</param>
    public LogBatch? Take(int nameWidth = 0)
    {
        LogChunk[] chunks;
        long dropped;
        lock (_gate)
        {
            if (_chunks.Count == 0 && _dropped == 0)
            {
                return null;
            }
            chunks = [.. _chunks];
            dropped = _dropped;
            _chunks.Clear();
            _queuedLines = 0;
            _queuedBytes = 0;
            _dropped = 0;
        }
        // One chunk can hold more lines than the page takes at once: skip the oldest of them too.
        int skip = Math.Max(0, chunks.Sum(c => c.Lines) - _capacity);
        dropped += skip;
        var lines = new List<LogLine>(Math.Min(_capacity, chunks.Sum(c => c.Lines)));
        foreach (var chunk in chunks)
        {
            long t = chunk.Time.ToUnixTimeMilliseconds();
            string prefix = PrefixFormatter.Plain(chunk.Time.ToLocalTime(), chunk.Source.Name, nameWidth);
            foreach (var line in chunk.EachLine())
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                string text = Encoding.UTF8.GetString(line.Span);
                lines.Add(new LogLine(t, chunk.Source.Name, text.Length > MaxLineChars ? text[..MaxLineChars] + " [...]" : text, prefix));
            }
        }
        return new LogBatch(lines, dropped);
    }

    private async Task FollowAsync(System.Threading.Channels.ChannelReader<LogChunk> live)
    {
        while (true)
        {
            try
            {
                await foreach (var chunk in live.ReadAllAsync(_stop.Token))
                {
                    Add(chunk);
                }
                return; // The formation is over.
            }
            catch (LogFollowerTooSlowException)
            {
                // Starved of CPU for a while: what the log book could not hand over is lost; count it as unknown.
                lock (_gate)
                {
                    _dropped = Math.Max(_dropped, 1);
                }
                _onLines();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                _log.Unfollow(live);
            }
            live = _log.Read(_ => true, 0, follow: true).Live!;
        }
    }

    private void Add(LogChunk chunk)
    {
        lock (_gate)
        {
            _chunks.Enqueue(chunk);
            _queuedLines += chunk.Lines;
            _queuedBytes += chunk.Data.Length;
            // Bounded in bytes too: lines may be long, and a page that stopped reading must not cost more than this.
            while ((_queuedLines > _capacity || _queuedBytes > MaxQueuedBytes) && _chunks.Count > 1)
            {
                var oldest = _chunks.Dequeue();
                _queuedLines -= oldest.Lines;
                _queuedBytes -= oldest.Data.Length;
                _dropped += oldest.Lines;
            }
        }
        _onLines();
    }

    /// <summary>Stops following.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _reader.Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            // It ended with an error nobody is waiting for any more.
        }
        _stop.Dispose();
    }
}
