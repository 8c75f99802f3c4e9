namespace Drover.Core.Probes;

/// <summary>
/// When the checks of a probe come after its first: at whole multiples of its period on the clock's timestamp, so
/// every probe with the same period is due at the same instants and their checks share one wake-up of the timer
/// and the thread pool. Measured (docs/benchmarks.md): 100 probes each on their own phase cost Drover more in
/// wake-ups (thread-pool threads woken, spinning, and put back to sleep 100 times a second) than in the checks.
/// So the gap from the first check to the second is between one and two periods; after it, one period.
/// </summary>
/// <param name="period">The probe's period (positive).</param>
/// <param name="time">The clock whose timestamps the grid is laid on.</param>
public readonly struct ProbeGrid(TimeSpan period, TimeProvider time)
{
    private readonly long _step = Math.Max(1, (long)(period.TotalSeconds * time.TimestampFrequency));

    /// <summary>The first grid instant at least one period after <paramref name="start"/> (a timestamp).</summary>
    public long FirstAfter(long start) => Ceiling(start + _step);

    /// <summary>
    /// The instant after the check due at <paramref name="due"/> ended at <paramref name="now"/>: one period later,
    /// or, when that has already passed (the check took longer than its period), the next grid instant after now.
    /// </summary>
    public long Next(long due, long now) => due + _step >= now ? due + _step : Ceiling(now);

    private long Ceiling(long timestamp)
    {
        long r = timestamp % _step;
        if (r < 0)
        {
            r += _step;
        }
        return r == 0 ? timestamp : timestamp - r + _step;
    }
}
