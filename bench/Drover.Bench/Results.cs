namespace Drover.Bench;

/// <summary>One repetition of one measure: a number, or none (timeout, never) with a note saying why.</summary>
internal sealed record Sample(double? Value, string? Note = null, double Busy = 0)
{
    public static Sample Of(double value, string? note = null) => new(value, note);
    public static Sample Failed(string note) => new(null, note);
}

/// <summary>Every repetition of one measure for one tool.</summary>
internal sealed class Series(string measure, string tool)
{
    public string Measure { get; } = measure;
    public string Tool { get; } = tool;
    public List<Sample> Samples { get; } = [];

    public IReadOnlyList<double> Values => [.. Samples.Where(s => s.Value.HasValue).Select(s => s.Value!.Value)];

    /// <summary>True when every repetition produced a number.</summary>
    public bool Complete => Samples.Count > 0 && Samples.All(s => s.Value.HasValue);

    public double? Median => Stats.Median(Values);
    public double? Min => Values.Count > 0 ? Values.Min() : null;
    public double? Max => Values.Count > 0 ? Values.Max() : null;

    /// <summary>The most frequent note (e.g. "12 orphans"), for cells where the note matters more than a number.</summary>
    public string? CommonNote => Samples.Where(s => s.Note is not null).GroupBy(s => s.Note)
        .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
}

internal static class Stats
{
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>All series of the whole run, by measure then tool.</summary>
internal sealed class ResultSet
{
    private readonly Dictionary<(string, string), Series> _series = [];

    public Series Get(string measure, string tool)
    {
        if (!_series.TryGetValue((measure, tool), out var s))
        {
            s = new Series(measure, tool);
            _series[(measure, tool)] = s;
        }
        return s;
    }

    public Series? Find(string measure, string tool) => _series.GetValueOrDefault((measure, tool));

    /// <summary>
    /// <paramref name="measure"/> restricted to the repetitions in which <paramref name="primary"/> produced a
    /// number (e.g. line counts of the throughput repetitions that ran to the end, not of those that timed out).
    /// </summary>
    public Series? FindWhere(string measure, string tool, string primary)
    {
        var s = Find(measure, tool);
        var p = Find(primary, tool);
        if (s is null || p is null || p.Samples.Count != s.Samples.Count)
        {
            return s;
        }
        var filtered = new Series(measure, tool);
        filtered.Samples.AddRange(s.Samples.Where((_, i) => p.Samples[i].Value.HasValue));
        return filtered;
    }

    public IEnumerable<Series> All => _series.Values;
}
