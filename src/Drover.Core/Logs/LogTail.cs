namespace Drover.Core.Logs;

/// <summary>
/// <c>drover logs -f</c> over files: new whole lines of the active files of the logs a target names, polled. A file
/// is kept open, so lines written just before a rotation are still read from it (renamed, or even deleted after
/// compression); the active name holding another file (told by its first line, time and text: a rotation inside one
/// chunk of output starts the new file with the same time) means it rotated, and reading moves to the new file
/// from its start.
/// </summary>
public sealed class LogTail(LogLayout layout, LogQuery query) : IDisposable
{
    // Each log is followed either through its open active file, or, while it has none (rotated, nothing written
    // since), from a mark: the first line of the last rotated file read (null: none read, start from the oldest).
    private readonly Dictionary<LogRef, Followed> _logs = [];
    private readonly Dictionary<LogRef, byte[]?> _marks = [];

    /// <summary>Follows the logs of one log directory.</summary>
    public LogTail(string directory, LogQuery query) : this(LogLayout.Of(directory), query)
    {
    }

    /// <summary>Starts at the end of every log there is now; logs that appear later are read from their start.</summary>
    public void SkipExisting()
    {
        foreach (var log in layout.Select(query.Target))
        {
            if (Open(log) is { } f)
            {
                f.Stream.Seek(0, SeekOrigin.End);
                _logs[log] = f;
            }
            else
            {
                _marks[log] = Rotated(log) is { Count: > 0 } rotated ? LogFileIdentity.Of(rotated[^1]) : null;
            }
        }
    }

    /// <summary>Reads what was added since the last call; lines of several logs come ordered by time within one call.</summary>
    public void Poll(Action<LogSearch.Match> found)
    {
        var batch = new List<LogSearch.Match>();
        foreach (var log in layout.Select(query.Target))
        {
            var matcher = new LineFilter(query, log.Instance);
            if (!_logs.TryGetValue(log, out var f))
            {
                CatchUp(log, _marks.GetValueOrDefault(log), matcher, batch);
                continue;
            }
            ReadNew(f, matcher, batch);
            var current = ActiveIdentity(log);
            var mine = f.Identity ??= LogFileIdentity.Of(f.Stream);
            if (mine is not null && !LogFileIdentity.Same(current, mine))
            {
                // Rotated: what the old file got before the rotation has been read above; files rotated since
                // (several, under a flood) are read whole, then the new active file.
                f.Stream.Dispose();
                _logs.Remove(log);
                CatchUp(log, mine, matcher, batch);
            }
        }
        foreach (var m in batch.OrderBy(m => m.UtcTicks))
        {
            found(m);
        }
    }

    /// <summary>
    /// Reads the rotated files newer than the one whose first line is <paramref name="last"/> (all of them when it
    /// is null, or gone beyond retention), then opens the active file and reads it from its start; again while a
    /// rotation happened meanwhile (the newest rotated file is not the last one read). Without an active file, the
    /// log is left marked.
    /// </summary>
    private void CatchUp(LogRef log, byte[]? last, LineFilter matcher, List<LogSearch.Match> batch)
    {
        while (true)
        {
            var rotated = Rotated(log);
            int at = last is null ? -1 : rotated.FindLastIndex(r => LogFileIdentity.Same(LogFileIdentity.Of(r), last));
            foreach (string path in rotated.Skip(at + 1))
            {
                ReadWhole(log, path, matcher, batch);
                last = LogFileIdentity.Of(path) ?? last;
            }
            var next = Open(log);
            var after = Rotated(log);
            if (after.Count == 0 || LogFileIdentity.Same(LogFileIdentity.Of(after[^1]), last))
            {
                if (next is null)
                {
                    _marks[log] = last;
                    return;
                }
                _marks.Remove(log);
                _logs[log] = next;
                ReadNew(next, matcher, batch);
                return;
            }
            // The active file rotated between our listing and opening it: read it from the rotated list instead.
            next?.Stream.Dispose();
        }
    }

    /// <summary>The rotated files of <paramref name="log"/>, oldest first.</summary>
    private static List<string> Rotated(LogRef log) =>
        [.. LogDirectory.FilesOf(log.Directory, log.Log).Where(f => !f.Name.IsActive).Select(f => f.Path)];

    private static void ReadWhole(LogRef log, string path, LineFilter matcher, List<LogSearch.Match> batch) =>
        LogFileIdentity.ReadRotated(path, line =>
        {
            if (matcher.Matches(line, out long ticks))
            {
                batch.Add(new LogSearch.Match(ticks, line.ToArray(), log.Log));
            }
        });

    private static void ReadNew(Followed f, LineFilter matcher, List<LogSearch.Match> batch)
    {
        long start = f.Stream.Position;
        long consumed = LogLineReader.ReadLines(f.Stream, line =>
        {
            if (matcher.Matches(line, out long ticks))
            {
                batch.Add(new LogSearch.Match(ticks, line.ToArray(), f.Log.Log));
            }
        });
        // A partial last line is read again next time, whole.
        f.Stream.Position = start + consumed;
    }

    private static byte[]? ActiveIdentity(LogRef log)
    {
        try
        {
            using var stream = LogFileIdentity.OpenShared(Path.Combine(log.Directory, LogFileName.Active(log.Log).FileName));
            return LogFileIdentity.Of(stream);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static Followed? Open(LogRef log)
    {
        try
        {
            var stream = new FileStream(Path.Combine(log.Directory, LogFileName.Active(log.Log).FileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new Followed(stream, log) { Identity = LogFileIdentity.Of(stream) };
        }
        catch (FileNotFoundException)
        {
            return null;
        }
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

    private sealed class Followed(FileStream stream, LogRef log)
    {
        public FileStream Stream { get; } = stream;

        public LogRef Log { get; } = log;

        public byte[]? Identity { get; set; }
    }
}
