namespace Drover.Core.Logs;

/// <summary>
/// <c>drover logs -f</c> over files: new whole lines of the active files of the logs a target names, polled. A file
/// is kept open, so lines written just before a rotation are still read from it (renamed, or even deleted after
/// compression); the active name holding another file (told by its first line) means it rotated, and reading moves
/// to the new file from its start.
/// </summary>
public sealed class LogTail(string directory, LogQuery query) : IDisposable
{
    private const int IdentityLength = LogLineFormat.TimeLength + 16;

    private readonly Dictionary<string, Followed> _logs = new(StringComparer.Ordinal);

    /// <summary>Starts at the end of every file there is now; logs that appear later are read from their start.</summary>
    public void SkipExisting()
    {
        foreach (string log in LogDirectory.Select(directory, query.Target))
        {
            if (Open(log) is { } f)
            {
                f.Stream.Seek(0, SeekOrigin.End);
                _logs[log] = f;
            }
        }
    }

    /// <summary>Reads what was added since the last call; lines of several logs come ordered by time within one call.</summary>
    public void Poll(Action<LogSearch.Match> found)
    {
        var batch = new List<LogSearch.Match>();
        var matcher = new LineFilter(query);
        foreach (string log in LogDirectory.Select(directory, query.Target))
        {
            if (!_logs.TryGetValue(log, out var f))
            {
                if (Open(log) is not { } opened)
                {
                    continue;
                }
                f = _logs[log] = opened;
            }
            ReadNew(f, matcher, batch);
            var current = Identity(Path.Combine(directory, LogFileName.Active(log).FileName));
            var mine = f.Identity ??= IdentityOf(f.Stream);
            if (current is not null && mine is not null && !current.AsSpan().SequenceEqual(mine))
            {
                // Rotated: what the old file got before the rotation has been read above.
                f.Stream.Dispose();
                _logs.Remove(log);
                if (Open(log) is { } next)
                {
                    _logs[log] = next;
                    ReadNew(next, matcher, batch);
                }
            }
        }
        foreach (var m in batch.OrderBy(m => m.UtcTicks))
        {
            found(m);
        }
    }

    private static void ReadNew(Followed f, LineFilter matcher, List<LogSearch.Match> batch)
    {
        long start = f.Stream.Position;
        long consumed = LogLineReader.ReadLines(f.Stream, line =>
        {
            if (matcher.Matches(line, out long ticks))
            {
                batch.Add(new LogSearch.Match(ticks, line.ToArray()));
            }
        });
        // A partial last line is read again next time, whole.
        f.Stream.Position = start + consumed;
    }

    private Followed? Open(string log)
    {
        try
        {
            var stream = new FileStream(Path.Combine(directory, LogFileName.Active(log).FileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new Followed(stream) { Identity = IdentityOf(stream) };
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static byte[]? Identity(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return IdentityOf(stream);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static byte[]? IdentityOf(FileStream stream)
    {
        var head = new byte[IdentityLength];
        int n = RandomAccess.Read(stream.SafeFileHandle, head, 0);
        return n == IdentityLength ? head : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var f in _logs.Values)
        {
            f.Stream.Dispose();
        }
        _logs.Clear();
    }

    private sealed class Followed(FileStream stream)
    {
        public FileStream Stream { get; } = stream;

        public byte[]? Identity { get; set; }
    }
}
