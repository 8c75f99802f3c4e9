namespace Drover.Tui.Model;

/// <summary>
/// The log pane's lines and where it looks: the newest lines (following), or a fixed place (paused, scrolled, or
/// on a search match) while new lines are counted. Lines are numbered from the first ever added, so a place stays
/// put while old lines fall out of the ring. Pure: no terminal, no clock.
/// </summary>
internal sealed class LogPane(int capacity)
{
    private readonly string[] _ring = new string[Math.Max(1, capacity)];
    private long _first;
    private long _next;
    private long? _bottom; // the last line shown when not following
    private long? _match;
    private bool _revealMatch;

    /// <summary>True while the pane stays put instead of following new lines.</summary>
    public bool Paused => _bottom is not null;

    /// <summary>Lines added since the pane stopped following.</summary>
    public long NewWhilePaused { get; private set; }

    /// <summary>The text searched for, or null.</summary>
    public string? Search { get; private set; }

    /// <summary>The line number of the current match, or null.</summary>
    public long? Match => _match;

    /// <summary>How many lines there are.</summary>
    public long Count => _next - _first;

    /// <summary>Adds lines at the bottom.</summary>
    public void Add(IReadOnlyList<string> lines)
    {
        foreach (string line in lines)
        {
            _ring[_next % _ring.Length] = line;
            _next++;
            if (_next - _first > _ring.Length)
            {
                _first++;
            }
        }
        if (Paused)
        {
            NewWhilePaused += lines.Count;
        }
    }

    /// <summary>Forgets every line (another process is followed).</summary>
    public void Clear()
    {
        _first = _next;
        _bottom = null;
        _match = null;
        NewWhilePaused = 0;
    }

    /// <summary>Stops following (pause) or follows again.</summary>
    public void TogglePause()
    {
        if (Paused)
        {
            Follow();
        }
        else
        {
            _bottom = _next - 1;
            NewWhilePaused = 0;
        }
    }

    /// <summary>Follows the newest lines again.</summary>
    public void Follow()
    {
        _bottom = null;
        NewWhilePaused = 0;
    }

    /// <summary>Moves the view up (negative) or down by <paramref name="lines"/>; stops following.</summary>
    public void Scroll(int lines, int height)
    {
        if (Count == 0)
        {
            return;
        }
        if (!Paused)
        {
            TogglePause();
        }
        long lowest = Math.Min(_next - 1, _first + Math.Max(0, height - 1));
        _bottom = Math.Clamp(_bottom!.Value + lines, lowest, _next - 1);
    }

    /// <summary>Searches for <paramref name="text"/> (case-insensitive) from the newest line up; shows the match and stops following.</summary>
    public bool Find(string text)
    {
        Search = text.Length == 0 ? null : text;
        _match = null;
        return Search is not null && MoveTo(Older(_next));
    }

    /// <summary>The next match: the one above the current (older).</summary>
    public bool Next() => Search is not null && MoveTo(Older(_match ?? _next));

    /// <summary>The previous match: the one below the current (newer).</summary>
    public bool Previous() => Search is not null && MoveTo(Newer(_match ?? _first - 1));

    /// <summary>Ends the search (the view stays where it is).</summary>
    public void EndSearch()
    {
        Search = null;
        _match = null;
    }

    /// <summary>The match's number (1 = the oldest) and the number of matches, or null without a search.</summary>
    public (int Index, int Total)? MatchPosition()
    {
        if (Search is null)
        {
            return null;
        }
        int total = 0;
        int index = 0;
        for (long n = _first; n < _next; n++)
        {
            if (IsMatch(n))
            {
                total++;
                if (n == _match)
                {
                    index = total;
                }
            }
        }
        return (index, total);
    }

    /// <summary>The lines to show in <paramref name="height"/> rows: (line number, text), oldest first.</summary>
    public List<(long Number, string Text)> Visible(int height)
    {
        if (_match is long m && m < _first)
        {
            _match = null;
        }
        if (_revealMatch && _match is long match)
        {
            _bottom = Math.Min(_next - 1, match + (height / 2));
            _revealMatch = false;
        }
        if (Count == 0)
        {
            return [];
        }
        // A paused pane stays where it is even when it is not full yet; only lines gone from the ring move it.
        long bottom = _bottom is long b ? Math.Clamp(b, _first, _next - 1) : _next - 1;
        if (_bottom is not null)
        {
            _bottom = bottom;
        }
        long top = Math.Max(_first, bottom - height + 1);
        var lines = new List<(long, string)>(height);
        for (long n = top; n <= bottom; n++)
        {
            lines.Add((n, _ring[n % _ring.Length]));
        }
        return lines;
    }

    private bool MoveTo(long? line)
    {
        if (line is null)
        {
            return false;
        }
        if (!Paused)
        {
            TogglePause();
        }
        _match = line;
        _revealMatch = true;
        return true;
    }

    private long? Older(long before)
    {
        for (long n = Math.Min(before, _next) - 1; n >= _first; n--)
        {
            if (IsMatch(n))
            {
                return n;
            }
        }
        return null;
    }

    private long? Newer(long after)
    {
        for (long n = Math.Max(after + 1, _first); n < _next; n++)
        {
            if (IsMatch(n))
            {
                return n;
            }
        }
        return null;
    }

    private bool IsMatch(long n) => Search is not null && _ring[n % _ring.Length].Contains(Search, StringComparison.OrdinalIgnoreCase);
}
