namespace Drover.Core.Logs;

/// <summary>
/// The sizes of the files in a log directory and what to delete to stay within its bound: pure bookkeeping, no
/// I/O (the writer deletes what it is told). Rotated files beyond the per-log count go first; then, when a write
/// would take the total past <see cref="LogRotation.MaxTotalBytes"/>, the oldest rotated files of any log.
/// </summary>
public sealed class LogBudget(LogRotation rotation)
{
    private readonly Dictionary<LogFileName, long> _files = [];

    /// <summary>Bytes taken by every file counted.</summary>
    public long Total { get; private set; }

    /// <summary>The highest rotation sequence seen; the next rotated file takes the one after.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Records the size of a file (new or grown or shrunk).</summary>
    public void Set(LogFileName name, long size)
    {
        Total += size - _files.GetValueOrDefault(name);
        _files[name] = size;
        if (name.Sequence is long seq && seq > LastSequence)
        {
            LastSequence = seq;
        }
    }

    /// <summary>The size recorded for a file, 0 when none.</summary>
    public long SizeOf(LogFileName name) => _files.GetValueOrDefault(name);

    /// <summary>Forgets a file (deleted or renamed).</summary>
    public void Remove(LogFileName name)
    {
        if (_files.Remove(name, out long old))
        {
            Total -= old;
        }
    }

    /// <summary>Forgets every file (to count them afresh), but not the last sequence.</summary>
    public void Clear()
    {
        _files.Clear();
        Total = 0;
    }

    /// <summary>The logs that have an active file.</summary>
    public IReadOnlyList<string> ActiveLogs() => _files.Keys.Where(f => f.IsActive).Select(f => f.Log).ToList();

    /// <summary>The logs that have rotated files.</summary>
    public IReadOnlyList<string> RotatedLogs() => _files.Keys.Where(f => !f.IsActive).Select(f => f.Log).Distinct().ToList();

    /// <summary>Takes the next rotation sequence.</summary>
    public long NextSequence() => ++LastSequence;

    /// <summary>Rotated files of <paramref name="log"/> beyond the newest <see cref="LogRotation.Keep"/>, oldest first.</summary>
    public IReadOnlyList<LogFileName> BeyondKeep(string log)
    {
        var rotated = _files.Keys.Where(f => f.Log == log && !f.IsActive).OrderBy(f => f.Sequence).ToList();
        return rotated.Count > rotation.Keep ? rotated[..(rotated.Count - rotation.Keep)] : [];
    }

    /// <summary>
    /// The oldest rotated files (never those of rotation <paramref name="spare"/>) whose deletion lets <paramref name="incoming"/> more
    /// bytes fit within the bound; false when even deleting every rotated file would not be enough.
    /// </summary>
    public bool TryMakeRoom(long incoming, out IReadOnlyList<LogFileName> victims, long? spare = null)
    {
        victims = [];
        if (rotation.MaxTotalBytes is not long max || Total + incoming <= max)
        {
            return true;
        }
        var chosen = new List<LogFileName>();
        long total = Total;
        foreach (var (name, size) in _files.Where(f => !f.Key.IsActive && f.Key.Sequence != spare).OrderBy(f => f.Key.Sequence))
        {
            chosen.Add(name);
            total -= size;
            if (total + incoming <= max)
            {
                victims = chosen;
                return true;
            }
        }
        victims = chosen;
        return false;
    }

    /// <summary>The active log holding the most bytes, to rotate out when nothing rotated is left to delete.</summary>
    public LogFileName? LargestActive() =>
        _files.Where(f => f.Key.IsActive && f.Value > 0).OrderByDescending(f => f.Value).Select(f => (LogFileName?)f.Key).FirstOrDefault();
}
