using Drover.Core.Settings;
using Drover.Core.Tests.Support;
using Drover.Core.Watch;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Core.Tests.Watch;

/// <summary>
/// Watch mode through its seam: a fake watcher stands for inotify, so what a limit, an overflow or a change in an
/// ignored place leads to is checked without the kernel (the real watcher has its own tests in Drover.Posix.Tests
/// and the CLI's).
/// </summary>
public sealed class FileWatchTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly FakeWatcher _watcher = new();
    private readonly List<string> _notices = [];
    private readonly List<string> _restarted = [];

    public void Dispose() => _dir.Dispose();

    private FileWatch Create(params string[] flags)
    {
        var plan = WatchPlan.Build(SettingsDocument.Empty, WatchFlag.Parse(flags).Value, ["web", "worker"], _dir.Path, _dir.Combine("logs")).Value;
        var watch = new FileWatch(
            plan, _watcher,
            type => { lock (_restarted) { _restarted.Add(type); } return Task.CompletedTask; },
            n => { lock (_notices) { _notices.Add(n); } },
            _time);
        watch.Start();
        return watch;
    }

    [Fact]
    public void The_watcher_gets_the_roots_and_skips_ignored_directories()
    {
        _dir.CreateFolder("src/node_modules");
        _dir.CreateFolder("src/.git");
        _dir.Write(".gitignore", "tmp/\n");
        using var watch = Create("web=src", "worker=.");

        Assert.Equal([_dir.Path], _watcher.Roots);
        Assert.True(_watcher.Descend!(_dir.Combine("src")));
        Assert.False(_watcher.Descend(_dir.Combine("src/node_modules")));
        Assert.False(_watcher.Descend(_dir.Combine("src/.git")));
        Assert.False(_watcher.Descend(_dir.Combine("tmp")));
        Assert.False(_watcher.Descend(_dir.Combine("logs")));
    }

    [Fact]
    public void Watching_the_whole_app_still_skips_its_node_modules_and_git()
    {
        _dir.CreateFolder("node_modules/a");
        _dir.CreateFolder(".git");
        using var watch = Create("web=.");

        Assert.Equal([_dir.Path], _watcher.Roots);
        Assert.True(_watcher.Descend!(_dir.Path));
        Assert.False(_watcher.Descend(_dir.Combine("node_modules")));
        Assert.False(_watcher.Descend(_dir.Combine(".git")));
    }

    [Fact]
    public async Task A_change_restarts_only_the_types_that_watch_the_file()
    {
        _dir.CreateFolder("src");
        _dir.CreateFolder("lib");
        using var watch = Create("web=src", "worker=lib");

        watch.Changed(_dir.Combine("src/app.rb"));
        watch.Changed(_dir.Combine("src/node_modules/x.js"));
        watch.Changed(_dir.Combine("logs/web.1.log"));
        _time.Advance(TimeSpan.FromMilliseconds(300));
        await watch.Restarts.Idle;

        Assert.Equal(["web"], _restarted);
        Assert.Equal(["web: src/app.rb changed; restarting (rolling)"], _notices);
    }

    [Fact]
    public async Task An_overflow_restarts_every_watched_type()
    {
        _dir.CreateFolder("src");
        using var watch = Create("web=src", "worker=src");
        watch.Overflowed();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        await Poll.Until(() => { lock (_restarted) { return _restarted.Count == 2; } }, "both restarts");
        await watch.Restarts.Idle;
        Assert.Equal(["web", "worker"], _restarted.Order());
    }

    [Fact]
    public void A_limit_the_watcher_reports_is_told_and_the_watch_goes_on()
    {
        _dir.CreateFolder("src");
        using var watch = Create("web=src");
        _watcher.Sink!.Problem("the inotify watch limit is reached (fs.inotify.max_user_watches is 3): ...");
        _watcher.Sink.Ready(3);

        Assert.Equal(
            ["watch: the inotify watch limit is reached (fs.inotify.max_user_watches is 3): ...", "watching 3 directories for changes (web)"],
            _notices);
    }

    [Fact]
    public async Task A_changed_gitignore_takes_effect_for_the_next_change()
    {
        _dir.CreateFolder("src");
        string gitignore = _dir.Write("src/.gitignore", "");
        using var watch = Create("web=src/**/*.rb");
        File.WriteAllText(gitignore, "gen.rb\n");
        watch.Changed(gitignore);
        watch.Changed(_dir.Combine("src/gen.rb"));
        _time.Advance(TimeSpan.FromMilliseconds(300));
        await watch.Restarts.Idle;
        Assert.Empty(_restarted);
    }

    private sealed class FakeWatcher : IFileWatcher
    {
        public IReadOnlyList<string> Roots { get; private set; } = [];

        public Func<string, bool>? Descend { get; private set; }

        public IFileChangeSink? Sink { get; private set; }

        public void Start(IReadOnlyList<string> roots, Func<string, bool> descend, IFileChangeSink sink)
        {
            Roots = roots;
            Descend = descend;
            Sink = sink;
        }

        public void Dispose()
        {
        }
    }
}
