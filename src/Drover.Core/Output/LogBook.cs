using System.Threading.Channels;

namespace Drover.Core.Output;

/// <summary>
/// The recent output of every process, for <c>drover logs</c>: the last <see cref="LinesPerSource"/> lines per
/// source (and at most <see cref="BytesPerSource"/> bytes), kept in a <see cref="LineRing"/> that allocates nothing
/// per line; plus live followers, which get a copy of each chunk only while they exist. A follower that cannot
/// keep up is disconnected rather than slowing the formation.
/// </summary>
public sealed class LogBook
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (OutputSource Source, LineRing Ring)> _rings = new(StringComparer.Ordinal);
    private readonly List<Follower> _followers = [];

    /// <summary>Creates a log book keeping <paramref name="linesPerSource"/> lines per process, in at most <paramref name="bytesPerSource"/> bytes.</summary>
    public LogBook(int linesPerSource, int bytesPerSource = 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(linesPerSource);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSource);
        LinesPerSource = linesPerSource;
        BytesPerSource = bytesPerSource;
    }

    /// <summary>How many lines are kept per source.</summary>
    public int LinesPerSource { get; }

    /// <summary>How many bytes are kept per source at most.</summary>
    public int BytesPerSource { get; }

    /// <summary>Records lines written by <paramref name="source"/>; called by the output writer only.</summary>
    public void Append(OutputSource source, ReadOnlySpan<byte> lines, DateTimeOffset time)
    {
        lock (_gate)
        {
            if (!_rings.TryGetValue(source.Name, out var entry))
            {
                entry = (source, new LineRing(LinesPerSource, BytesPerSource));
                _rings[source.Name] = entry;
            }
            var rest = lines;
            while (!rest.IsEmpty)
            {
                int end = rest.IndexOf((byte)'\n');
                entry.Ring.Add(rest[..end], time.UtcTicks);
                rest = rest[(end + 1)..];
            }
            if (_followers.Count == 0)
            {
                return;
            }
            LogChunk? chunk = null;
            for (int i = _followers.Count - 1; i >= 0; i--)
            {
                var f = _followers[i];
                if (!f.Filter(source.Name))
                {
                    continue;
                }
                chunk ??= new LogChunk(time, source, lines.ToArray(), System.MemoryExtensions.Count(lines, (byte)'\n'));
                // Bounded in bytes as well as chunks: a chunk may be 64 KiB, and 4096 of them per stalled client
                // were hundreds of MiB.
                if (Interlocked.Add(ref f.Reader.QueuedBytes, chunk.Data.Length) > f.Reader.MaxBytes || !f.Channel.Writer.TryWrite(chunk))
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
    /// <param name="filter">Which sources.</param>
    /// <param name="lines">How many recent lines per source.</param>
    /// <param name="follow">Whether to follow live output too.</param>
    /// <param name="followCapacity">How many chunks a follower may have waiting.</param>
    /// <param name="followBytes">How many bytes a follower may have waiting; beyond either bound it is disconnected.</param>
    public (IReadOnlyList<LogChunk> Recent, ChannelReader<LogChunk>? Live) Read(
        Func<string, bool> filter, int lines, bool follow, int followCapacity = 4096, long followBytes = DefaultFollowBytes)
    {
        lock (_gate)
        {
            var recent = _rings.Values
                .Where(r => filter(r.Source.Name))
                .SelectMany(r => r.Ring.Last(lines).Select(l =>
                    new LogChunk(new DateTimeOffset(l.TimeTicks, TimeSpan.Zero), r.Source, [.. l.Line, (byte)'\n'], 1)))
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
            var reader = new CountingReader(channel.Reader, followBytes);
            _followers.Add(new Follower(filter, channel, reader));
            return (recent, reader);
        }
    }

    /// <summary>Stops following: the reader's channel completes.</summary>
    public void Unfollow(ChannelReader<LogChunk> reader)
    {
        lock (_gate)
        {
            int i = _followers.FindIndex(f => f.Reader == reader || f.Channel.Reader == reader);
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

    /// <summary>How many bytes a live follower may have waiting by default before it is disconnected.</summary>
    public const long DefaultFollowBytes = 4 * 1024 * 1024;

    private sealed record Follower(Func<string, bool> Filter, Channel<LogChunk> Channel, CountingReader Reader);

    /// <summary>A follower's reader that keeps count of the bytes waiting in it.</summary>
    private sealed class CountingReader(ChannelReader<LogChunk> inner, long maxBytes) : ChannelReader<LogChunk>
    {
        // Added to by the writer (under the log book's lock), taken from by the one reader.
        public long QueuedBytes;

        public long MaxBytes { get; } = maxBytes;

        public override Task Completion => inner.Completion;

        public override bool CanPeek => inner.CanPeek;

        public override bool TryRead([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out LogChunk item)
        {
            if (!inner.TryRead(out item))
            {
                return false;
            }
            Interlocked.Add(ref QueuedBytes, -item.Data.Length);
            return true;
        }

        public override bool TryPeek([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out LogChunk item) => inner.TryPeek(out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => inner.WaitToReadAsync(cancellationToken);
    }
}

/// <summary>A log follower fell too far behind and was disconnected.</summary>
public sealed class LogFollowerTooSlowException() : Exception("log follower could not keep up and was disconnected");
