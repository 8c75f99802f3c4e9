using System.Threading.Channels;

namespace Drover.Core.Output;

/// <summary>
/// The recent output of every process, for <c>drover logs</c>: at least the last <see cref="LinesPerSource"/>
/// lines per source, kept as the chunks the writer wrote (one copy per chunk, not per line), plus live followers.
/// A follower that cannot keep up is disconnected rather than slowing the formation.
/// </summary>
public sealed class LogBook
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Ring> _rings = new(StringComparer.Ordinal);
    private readonly List<Follower> _followers = [];

    /// <summary>Creates a log book keeping <paramref name="linesPerSource"/> lines per process.</summary>
    public LogBook(int linesPerSource)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(linesPerSource);
        LinesPerSource = linesPerSource;
    }

    /// <summary>How many lines are kept per source.</summary>
    public int LinesPerSource { get; }

    /// <summary>Records lines written by <paramref name="source"/>; called by the output writer only.</summary>
    public void Append(OutputSource source, ReadOnlySpan<byte> lines, DateTimeOffset time)
    {
        int count = System.MemoryExtensions.Count(lines, (byte)'\n');
        var chunk = new LogChunk(time, source, lines.ToArray(), count);
        lock (_gate)
        {
            if (!_rings.TryGetValue(source.Name, out var ring))
            {
                ring = new Ring();
                _rings[source.Name] = ring;
            }
            ring.Add(chunk, LinesPerSource);
            for (int i = _followers.Count - 1; i >= 0; i--)
            {
                var f = _followers[i];
                if (f.Filter(source.Name) && !f.Channel.Writer.TryWrite(chunk))
                {
                    // Too slow: drop it, never block the writer.
                    f.Channel.Writer.TryComplete(new LogFollowerTooSlowException());
                    _followers.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>
    /// The last <paramref name="lines"/> lines of every source matching <paramref name="filter"/>, oldest first
    /// (interleaved by time), and, when <paramref name="follow"/>, a reader of everything written afterwards.
    /// </summary>
    public (IReadOnlyList<LogChunk> Recent, ChannelReader<LogChunk>? Live) Read(Func<string, bool> filter, int lines, bool follow, int followCapacity = 4096)
    {
        lock (_gate)
        {
            var recent = _rings
                .Where(kv => filter(kv.Key))
                .SelectMany(kv => kv.Value.Last(lines))
                .OrderBy(c => c.Time)
                .ToList();
            if (!follow)
            {
                return (recent, null);
            }
            var channel = Channel.CreateBounded<LogChunk>(new BoundedChannelOptions(followCapacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
            });
            _followers.Add(new Follower(filter, channel));
            return (recent, channel.Reader);
        }
    }

    /// <summary>Stops following: the reader's channel completes.</summary>
    public void Unfollow(ChannelReader<LogChunk> reader)
    {
        lock (_gate)
        {
            int i = _followers.FindIndex(f => f.Channel.Reader == reader);
            if (i >= 0)
            {
                _followers[i].Channel.Writer.TryComplete();
                _followers.RemoveAt(i);
            }
        }
    }

    /// <summary>Ends every follower (at shutdown).</summary>
    public void CompleteFollowers()
    {
        lock (_gate)
        {
            _followers.ForEach(f => f.Channel.Writer.TryComplete());
            _followers.Clear();
        }
    }

    private sealed record Follower(Func<string, bool> Filter, Channel<LogChunk> Channel);

    /// <summary>Chunks of one source, trimmed so that dropping the oldest would leave fewer than the limit.</summary>
    private sealed class Ring
    {
        private readonly Queue<LogChunk> _chunks = new();
        private int _lines;

        public void Add(LogChunk chunk, int limit)
        {
            _chunks.Enqueue(chunk);
            _lines += chunk.Lines;
            while (_chunks.Count > 0 && _lines - _chunks.Peek().Lines >= limit)
            {
                _lines -= _chunks.Dequeue().Lines;
            }
        }

        /// <summary>Chunks covering the last <paramref name="n"/> lines; the first one may be cut at its front.</summary>
        public List<LogChunk> Last(int n)
        {
            var picked = new List<LogChunk>();
            int have = 0;
            foreach (var chunk in _chunks.Reverse())
            {
                if (have >= n)
                {
                    break;
                }
                int take = Math.Min(chunk.Lines, n - have);
                picked.Add(take == chunk.Lines ? chunk : Trim(chunk, take));
                have += take;
            }
            picked.Reverse();
            return picked;
        }

        private static LogChunk Trim(LogChunk chunk, int keepLast)
        {
            var lines = chunk.EachLine().ToList();
            var kept = lines.Skip(lines.Count - keepLast).SelectMany(l => l.ToArray().Append((byte)'\n')).ToArray();
            return chunk with { Data = kept, Lines = keepLast };
        }
    }
}

/// <summary>A log follower fell too far behind and was disconnected.</summary>
public sealed class LogFollowerTooSlowException() : Exception("log follower could not keep up and was disconnected");
