using System.Text;

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
        var matcher = new Matcher(query);
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

    private static void Scan(string directory, string log, LogQuery query, Matcher matcher, Action<Match> found)
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

    /// <summary>The per-line test: time range, then the pattern over the text decoded from UTF-8.</summary>
    private sealed class Matcher(LogQuery query)
    {
        private readonly long _since = query.Since?.UtcTicks ?? long.MinValue;
        private readonly long _until = query.Until?.UtcTicks ?? long.MaxValue;
        private char[] _chars = new char[4096];

        public bool Matches(ReadOnlySpan<byte> line, out long ticks)
        {
            if (!LogLineFormat.TryParse(line, out ticks, out _, out var text) || ticks < _since || ticks > _until)
            {
                return false;
            }
            if (query.Grep is not { } grep)
            {
                return true;
            }
            if (text.Length > _chars.Length)
            {
                _chars = new char[Math.Max(text.Length, _chars.Length * 2)];
            }
            int n = Encoding.UTF8.GetChars(text, _chars);
            return grep.IsMatch(_chars.AsSpan(0, n));
        }
    }
}
