namespace Drover.Core.Logs;

/// <summary>
/// Finds lines in a log directory, rotated and gzipped files included, oldest first. One log is streamed; several
/// (a type's instances) are merged by time. Allocates per matching line only.
/// </summary>
public static class LogSearch
{
    /// <summary>A found line: its time, the whole file line (time, name, text) without the newline, and the log it is
    /// from (<c>web.1</c>, or <c>drover</c> for the combined log).</summary>
    public readonly record struct Match(long UtcTicks, byte[] Line, string Log);

    /// <summary>Runs <paramref name="query"/>; false with no call when <paramref name="directory"/> has no log it names.</summary>
    public static bool Run(string directory, LogQuery query, Action<Match> found) =>
        Run(LogLayout.Of(directory), query, found);

    /// <summary>Runs <paramref name="query"/> over a layout's files; false with no call when it has no log the query names.</summary>
    public static bool Run(LogLayout layout, LogQuery query, Action<Match> found)
    {
        var logs = layout.Select(query.Target);
        if (logs.Count == 0)
        {
            return false;
        }
        if (logs.Count == 1 && query.Last is null)
        {
            Scan(logs[0], query, found);
            return true;
        }
        var all = new List<Match>();
        var last = query.Last is int n && logs.Count == 1 ? new Queue<Match>(n + 1) : null;
        foreach (var log in logs)
        {
            Scan(log, query, m =>
            {
                if (last is null)
                {
                    all.Add(m);
                    return;
                }
                last.Enqueue(m);
                if (last.Count > query.Last)
                {
                    last.Dequeue();
                }
            });
        }
        IEnumerable<Match> ordered = last is not null ? last : all.OrderBy(m => m.UtcTicks); // OrderBy is stable
        if (last is null && query.Last is int keep)
        {
            ordered = ordered.TakeLast(keep);
        }
        foreach (var m in ordered)
        {
            found(m);
        }
        return true;
    }

    /// <summary>
    /// One log's lines, oldest first, while the writer may rotate and compress it: the active file is opened first,
    /// then the rotated ones listed; a listed one that starts like the open active file is that file, rotated
    /// meanwhile, so the list stops before it and the open file is read in its place (what was written after it
    /// is newer than the search). A listed plain file compressed meanwhile is read as .gz.
    /// </summary>
    private static void Scan(LogRef r, LogQuery query, Action<Match> found)
    {
        var (directory, log) = (r.Directory, r.Log);
        var matcher = new LineFilter(query, r.Instance);
        void Handle(ReadOnlySpan<byte> line)
        {
            if (matcher.Matches(line, out long ticks))
            {
                found(new Match(ticks, line.ToArray(), log));
            }
        }
        FileStream? active = null;
        try
        {
            try
            {
                active = LogFileIdentity.OpenShared(Path.Combine(directory, LogFileName.Active(log).FileName));
            }
            catch (FileNotFoundException)
            {
                // Rotated with nothing written since.
            }
            var rotated = LogDirectory.FilesOf(directory, log).Where(f => !f.Name.IsActive).ToList();
            var activeIdentity = active is null ? null : LogFileIdentity.Of(active);
            foreach (var (_, path) in rotated)
            {
                if (query.Since is { } since && LastWrite(path) < since.UtcDateTime)
                {
                    continue; // every line of a rotated file is older than its last write
                }
                // Its first line tells whether it is the open active file, rotated meanwhile: told while it is read,
                // so a file is opened once (the rare rotated one is read for nothing).
                bool first = true, isActive = false;
                try
                {
                    LogFileIdentity.ReadRotated(path, line =>
                    {
                        if (first)
                        {
                            first = false;
                            isActive = activeIdentity is not null && LogFileIdentity.IsFirstLine(line, activeIdentity);
                        }
                        if (!isActive)
                        {
                            Handle(line);
                        }
                    });
                }
                catch (FileNotFoundException)
                {
                    // Deleted beyond retention while we listed.
                }
                if (isActive)
                {
                    break;
                }
            }
            if (active is not null)
            {
                LogLineReader.ReadLines(active, Handle);
            }
        }
        finally
        {
            active?.Dispose();
        }
    }

    private static DateTime LastWrite(string path) =>
        File.Exists(path) ? File.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path + ".gz");
}
