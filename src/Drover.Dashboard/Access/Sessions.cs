namespace Drover.Dashboard.Access;

/// <summary>
/// Browser sessions: a session id (in a cookie) and its CSRF token (sent back in a header by the page's script).
/// Made when someone opens the URL with the access token; the oldest is forgotten beyond <paramref name="capacity"/>.
/// </summary>
internal sealed class Sessions(int capacity = 64)
{
    private readonly object _gate = new();
    private readonly List<Session> _sessions = [];

    /// <summary>Starts a session.</summary>
    public Session Create()
    {
        var session = new Session(AccessToken.Create(), AccessToken.Create());
        lock (_gate)
        {
            if (_sessions.Count >= capacity)
            {
                _sessions.RemoveAt(0);
            }
            _sessions.Add(session);
        }
        return session;
    }

    /// <summary>The session whose id is <paramref name="id"/>, or null; every session is compared, in constant time.</summary>
    public Session? Find(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }
        Session? found = null;
        lock (_gate)
        {
            foreach (var session in _sessions)
            {
                if (session.Id.Matches(id))
                {
                    found = session;
                }
            }
        }
        return found;
    }
}

/// <summary>One browser's session.</summary>
/// <param name="Id">The cookie's value.</param>
/// <param name="Csrf">What state-changing requests must carry in the <c>X-Drover-CSRF</c> header.</param>
internal sealed record Session(AccessToken Id, AccessToken Csrf);
