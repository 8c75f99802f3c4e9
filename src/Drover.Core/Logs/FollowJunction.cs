namespace Drover.Core.Logs;

/// <summary>
/// Where <c>drover logs -f</c> over files hands over from the search to the tail. The tail starts first (so nothing
/// written meanwhile is missed), and then re-reads what the search already printed; this drops those lines. Per
/// log (the search reads one log after another, so each has its own end): any line older than the newest the
/// search printed of that log, and of lines as new as it, as many copies of each as it printed. Memory is the
/// lines of each log's newest instant only. Once the tail has read to the end of every file (its first poll), the
/// junction is <see cref="Passed"/> and every later line is new, whatever its time (a clock set back).
/// </summary>
public sealed class FollowJunction
{
    private readonly Dictionary<string, Newest> _logs = new(StringComparer.Ordinal);
    private bool _passed;

    /// <summary>The search printed <paramref name="match"/>.</summary>
    public void Printed(LogSearch.Match match)
    {
        if (!_logs.TryGetValue(match.Log, out var newest))
        {
            newest = _logs[match.Log] = new Newest();
        }
        if (match.UtcTicks < newest.Ticks)
        {
            return;
        }
        if (match.UtcTicks > newest.Ticks)
        {
            newest.Ticks = match.UtcTicks;
            newest.Lines.Clear();
        }
        string key = Convert.ToBase64String(match.Line);
        newest.Lines[key] = newest.Lines.GetValueOrDefault(key) + 1;
    }

    /// <summary>The tail has read past everything the search could have printed.</summary>
    public void Passed()
    {
        _passed = true;
        _logs.Clear();
    }

    /// <summary>True when the tail found <paramref name="match"/> and it was not printed by the search yet.</summary>
    public bool IsNew(LogSearch.Match match)
    {
        if (_passed || !_logs.TryGetValue(match.Log, out var newest) || match.UtcTicks > newest.Ticks)
        {
            return true;
        }
        if (match.UtcTicks < newest.Ticks)
        {
            return false;
        }
        string key = Convert.ToBase64String(match.Line);
        if (newest.Lines.TryGetValue(key, out int left) && left > 0)
        {
            newest.Lines[key] = left - 1;
            return false;
        }
        return true;
    }

    private sealed class Newest
    {
        public long Ticks { get; set; } = long.MinValue;

        public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);
    }
}
