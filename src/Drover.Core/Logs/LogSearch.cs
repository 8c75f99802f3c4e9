namespace Drover.Core.Logs;

/// <summary>
/// Finds lines in a log directory, rotated and gzipped files included, oldest first. One log is streamed; several
/// (a type's instances) are merged by time. Allocates per matching line only.
/// </summary>
public static class LogSearch
{
    /// <summary>A found line: its time, and the whole file line (time, name, text) without the newline.</summary>
    public readonly record struct Match(long UtcTicks, byte[] Line);

    /// <summary>Runs <paramref name="query"/>; false with no call when <paramref name="directory"/> has no log it names.</summary>
    public static bool Run(string directory, LogQuery query, Action<Match> found)
    {
        var logs = LogDirectory.Select(directory, query.Target);
        if (logs.Count == 0)
        {
            return false;
        }
        var matcher = new LineFilter(query);
        if (logs.Count == 1 && query.Last is null)
        {
            Scan(directory, logs[0], query, matcher, found);
            return true;
        }
        var all = new List<Match>();
        var last = query.Last is int n && logs.Count == 1 ? new Queue<Match>(n + 1) : null;
        foreach (string log in logs)
        {
            Scan(directory, log, query, matcher, m =>
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

    private static void Scan(string directory, string log, LogQuery query, LineFilter matcher, Action<Match> found)
    {
        foreach (var (name, path) in LogDirectory.FilesOf(directory, log))
        {
            if (!name.IsActive && query.Since is { } since && File.GetLastWriteTimeUtc(path) < since.UtcDateTime)
            {
                continue; // every line of a rotated file is older than its last write
            }
            try
            {
                LogLineReader.ReadLines(path, line =>
                {
                    if (matcher.Matches(line, out long ticks))
                    {
                        found(new Match(ticks, line.ToArray()));
                    }
                });
            }
            catch (FileNotFoundException)
            {
                // Rotated away or deleted while we listed: its lines are in the next file, or beyond retention.
            }
        }
    }
}
