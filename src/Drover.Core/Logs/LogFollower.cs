namespace Drover.Core.Logs;

/// <summary>
/// <c>drover logs -f</c> over files: what the query finds now, then every new line once, across rotations. The tail
/// starts before the search, so a line written during the search is not missed, and the <see cref="FollowJunction"/>
/// drops the ones the search printed already.
/// </summary>
public sealed class LogFollower(LogLayout layout, LogQuery query) : IDisposable
{
    private readonly LogTail _tail = new(layout, query with { Last = null, Until = null });
    private readonly FollowJunction _junction = new();

    /// <summary>Follows the logs of one log directory.</summary>
    public LogFollower(string directory, LogQuery query) : this(LogLayout.Of(directory), query)
    {
    }

    /// <summary>Prints what is there now; false when the directory has no log the query names (yet).</summary>
    public bool PrintExisting(Action<LogSearch.Match> found)
    {
        _tail.SkipExisting();
        return LogSearch.Run(layout, query, m =>
        {
            _junction.Printed(m);
            found(m);
        });
    }

    /// <summary>Prints the lines written since the last call.</summary>
    public void PollNew(Action<LogSearch.Match> found)
    {
        _tail.Poll(m =>
        {
            if (_junction.IsNew(m))
            {
                found(m);
            }
        });
        _junction.Passed();
    }

    /// <inheritdoc/>
    public void Dispose() => _tail.Dispose();
}
