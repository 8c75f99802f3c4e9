namespace Drover.Core.Watch;

/// <summary>
/// Turns changes into restarts: per type, a change (re)starts a quiet period (300 ms by default); when it ends the
/// type gets one rolling restart, whatever the number of changes. A quiet period that ends while that type's
/// restart is still running makes exactly one more restart follow it.
/// </summary>
public sealed class WatchRestarts : IDisposable
{
    /// <summary>The default quiet period.</summary>
    public static readonly TimeSpan DefaultQuiet = TimeSpan.FromMilliseconds(300);

    private readonly Func<string, Task> _restart;
    private readonly Action<string> _notice;
    private readonly TimeProvider _time;
    private readonly TimeSpan _quiet;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _followers;
    private readonly Dictionary<string, TypeState> _types = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="restart">The rolling restart of one type (the controller's, as <c>drover restart TYPE</c>).</param>
    /// <param name="notice">Where the system lines go.</param>
    /// <param name="followers">The types restarted after each type (its dependents), by type.</param>
    /// <param name="time">The clock of the quiet period.</param>
    /// <param name="quiet">The quiet period; <see cref="DefaultQuiet"/> when null.</param>
    public WatchRestarts(
        Func<string, Task> restart, Action<string> notice, IReadOnlyDictionary<string, IReadOnlyList<string>> followers,
        TimeProvider time, TimeSpan? quiet = null)
    {
        _restart = restart;
        _notice = notice;
        _followers = followers;
        _time = time;
        _quiet = quiet ?? DefaultQuiet;
    }

    /// <summary>Restarts done or under way, by type (the followers' counted under their own type too).</summary>
    public int Started { get; private set; }

    /// <summary>Settles when no restart is running or pending (for tests and shutdown).</summary>
    public Task Idle
    {
        get
        {
            lock (_lock)
            {
                return Task.WhenAll(_types.Values.Select(s => s.Running ?? Task.CompletedTask));
            }
        }
    }

    /// <summary><paramref name="type"/>'s file <paramref name="path"/> changed (relative, for the message); null: unknown files (overflow).</summary>
    public void Changed(string type, string? path)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            if (!_types.TryGetValue(type, out var state))
            {
                _types[type] = state = new TypeState();
            }
            state.Paths.Add(path ?? "");
            if (state.Timer is null)
            {
                state.Timer = _time.CreateTimer(_ => QuietEnded(type), null, _quiet, Timeout.InfiniteTimeSpan);
            }
            else
            {
                state.Timer.Change(_quiet, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void QuietEnded(string type)
    {
        lock (_lock)
        {
            var state = _types[type];
            if (_disposed || state.Paths.Count == 0)
            {
                return;
            }
            if (state.Busy)
            {
                // A restart is under way: one more follows it, with the changes gathered until then.
                state.Again = true;
                return;
            }
            string message = Message(type, state.Paths);
            state.Paths.Clear();
            Started++;
            state.Busy = true;
            state.Running = RunAsync(type, message, state);
        }
    }

    private async Task RunAsync(string type, string message, TypeState state)
    {
        await Task.Yield();
        while (true)
        {
            _notice(message);
            try
            {
                await _restart(type).ConfigureAwait(false);
                foreach (string follower in _followers.GetValueOrDefault(type) ?? [])
                {
                    await _restart(follower).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                // The formation keeps running; the next change tries again.
                _notice($"{type}: restart after a change failed: {e.Message}");
            }
            lock (_lock)
            {
                if (!state.Again || _disposed)
                {
                    state.Again = false;
                    state.Busy = false;
                    return;
                }
                state.Again = false;
                message = Message(type, state.Paths);
                state.Paths.Clear();
                Started++;
            }
        }
    }

    private string Message(string type, HashSet<string> paths)
    {
        string what = paths.Contains("")
            ? "files changed (the change queue overflowed)"
            : paths.Count == 1 ? $"{paths.First()} changed" : $"{paths.First()} and {paths.Count - 1} more changed";
        var followers = _followers.GetValueOrDefault(type) ?? [];
        string then = followers.Count == 0 ? "" : $", then its dependents ({string.Join(", ", followers)})";
        return $"{type}: {what}; restarting (rolling){then}";
    }

    /// <summary>Stops the timers; a restart under way finishes, none follows.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var state in _types.Values)
            {
                state.Timer?.Dispose();
            }
        }
    }

    private sealed class TypeState
    {
        public ITimer? Timer { get; set; }

        public HashSet<string> Paths { get; } = new(StringComparer.Ordinal);

        public Task? Running { get; set; }

        public bool Again { get; set; }

        /// <summary>A restart runs (set and cleared under the lock, unlike the task's completion).</summary>
        public bool Busy { get; set; }
    }
}
