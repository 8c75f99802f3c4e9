using Drover.Core.Control.Wire;

namespace Drover.Dashboard.Feed;

/// <summary>
/// The last <paramref name="points"/> periodic samples (CPU%, RSS, restarts) of each instance, for the page's
/// sparklines. An instance that leaves the formation is forgotten. Used by the feed's loop only; copies go out.
/// </summary>
internal sealed class SampleHistory(int points)
{
    private readonly Dictionary<string, Queue<(long At, double? Cpu, long? Rss, int Restarts)>> _series = new(StringComparer.Ordinal);

    /// <summary>Adds one sample of every row and drops instances no longer there.</summary>
    public void Add(long at, IReadOnlyList<PsEntry> rows)
    {
        var present = rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string gone in _series.Keys.Where(name => !present.Contains(name)).ToList())
        {
            _series.Remove(gone);
        }
        foreach (var row in rows)
        {
            if (!_series.TryGetValue(row.Name, out var queue))
            {
                queue = new Queue<(long, double?, long?, int)>(points);
                _series[row.Name] = queue;
            }
            if (queue.Count == points)
            {
                queue.Dequeue();
            }
            queue.Enqueue((at, row.CpuPercent, row.RssBytes, row.Restarts));
        }
    }

    /// <summary>A copy of every series.</summary>
    public Dictionary<string, Series> Copy() => _series.ToDictionary(
        kv => kv.Key,
        kv => new Series(
            [.. kv.Value.Select(p => p.At)],
            [.. kv.Value.Select(p => p.Cpu)],
            [.. kv.Value.Select(p => p.Rss)],
            [.. kv.Value.Select(p => p.Restarts)]),
        StringComparer.Ordinal);
}
