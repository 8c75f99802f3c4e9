namespace Drover.Core.Watch;

/// <summary>
/// Watch mode wired together: the <see cref="IFileWatcher"/> reports changed files, each goes to the types whose
/// <see cref="WatchTarget"/> wants it, and <see cref="WatchRestarts"/> turns them into rolling restarts.
/// </summary>
public sealed class FileWatch : IFileChangeSink, IDisposable
{
    private readonly WatchPlan _plan;
    private readonly IFileWatcher _watcher;
    private readonly WatchRestarts _restarts;
    private readonly Action<string> _notice;

    /// <summary>Creates the watch of <paramref name="plan"/>; nothing is watched before <see cref="Start"/>.</summary>
    /// <param name="plan">What to watch.</param>
    /// <param name="watcher">The kernel's notifications.</param>
    /// <param name="restart">The rolling restart of one type.</param>
    /// <param name="notice">Where system lines go.</param>
    /// <param name="time">The clock of the quiet period.</param>
    /// <param name="quiet">The quiet period (300 ms when null).</param>
    public FileWatch(WatchPlan plan, IFileWatcher watcher, Func<string, Task> restart, Action<string> notice, TimeProvider time, TimeSpan? quiet = null)
    {
        _plan = plan;
        _watcher = watcher;
        _notice = notice;
        _restarts = new WatchRestarts(restart, notice, plan.Followers, time, quiet);
    }

    /// <summary>The restarts, for tests.</summary>
    public WatchRestarts Restarts => _restarts;

    /// <summary>Starts watching.</summary>
    public void Start() => _watcher.Start(_plan.Roots(), _plan.Descends, this);

    /// <inheritdoc />
    public void Changed(string path)
    {
        foreach (var target in _plan.Targets)
        {
            if (Path.GetFileName(path) == ".gitignore")
            {
                target.Rules.Forget(path);
            }
            if (target.Wants(path))
            {
                _restarts.Changed(target.Type, target.Relative(path));
            }
        }
    }

    /// <inheritdoc />
    public void Overflowed()
    {
        foreach (var target in _plan.Targets)
        {
            _restarts.Changed(target.Type, null);
        }
    }

    /// <inheritdoc />
    public void Ready(int directories) =>
        _notice($"watching {directories} director{(directories == 1 ? "y" : "ies")} for changes ({string.Join(", ", _plan.Targets.Select(t => t.Type))})");

    /// <inheritdoc />
    public void Problem(string message) => _notice($"watch: {message}");

    /// <summary>Stops watching; no restart starts after this.</summary>
    public void Dispose()
    {
        _watcher.Dispose();
        _restarts.Dispose();
    }
}
