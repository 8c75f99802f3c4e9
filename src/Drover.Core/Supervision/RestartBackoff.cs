namespace Drover.Core.Supervision;

/// <summary>
/// The restart delay of one instance: a crash loop slows down exponentially, while a process that ran
/// for a while and then failed is restarted at once. Pure policy: the caller supplies the uptime.
/// </summary>
public sealed class RestartBackoff(BackoffOptions options)
{
    private int _consecutive;

    /// <summary>How many restarts in a row happened without the process staying up long enough to reset.</summary>
    public int Consecutive => _consecutive;

    /// <summary>The delay before restarting a process that has just exited after running for <paramref name="uptime"/>.</summary>
    public TimeSpan Next(TimeSpan uptime)
    {
        if (uptime >= options.ResetAfter)
        {
            _consecutive = 0;
        }
        TimeSpan delay = options.Fixed ? options.Initial : _consecutive == 0 ? TimeSpan.Zero : Delay(_consecutive);
        _consecutive++;
        return delay;
    }

    private TimeSpan Delay(int n)
    {
        // Initial * 2^(n-1), computed so that huge n saturates at Max instead of overflowing.
        double ticks = options.Initial.Ticks * Math.Pow(2, Math.Min(n - 1, 62));
        return ticks >= options.Max.Ticks ? options.Max : TimeSpan.FromTicks((long)ticks);
    }
}
