using Drover.Core.Tests.Support;
using Drover.Core.Watch;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Core.Tests.Watch;

/// <summary>The quiet period and the "one more restart after this one" rule, on a fake clock.</summary>
public sealed class WatchRestartsTests : IDisposable
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly List<string> _notices = [];
    private readonly List<(string Type, TaskCompletionSource Done)> _restarts = [];
    private readonly WatchRestarts _watch;

    public WatchRestartsTests()
    {
        _watch = Create(new Dictionary<string, IReadOnlyList<string>>());
    }

    public void Dispose() => _watch.Dispose();

    private WatchRestarts Create(IReadOnlyDictionary<string, IReadOnlyList<string>> followers) => new(
        type =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_restarts)
            {
                _restarts.Add((type, done));
            }
            return done.Task;
        },
        n =>
        {
            lock (_notices)
            {
                _notices.Add(n);
            }
        },
        followers,
        _time);

    private int RestartCount(string type)
    {
        lock (_restarts)
        {
            return _restarts.Count(r => r.Type == type);
        }
    }

    private void FinishAll()
    {
        lock (_restarts)
        {
            foreach (var r in _restarts)
            {
                r.Done.TrySetResult();
            }
        }
    }

    [Fact]
    public async Task One_change_restarts_its_type_once_after_the_quiet_period()
    {
        _watch.Changed("web", "src/app.rb");
        _time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.Equal(0, RestartCount("web"));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Poll.Until(() => RestartCount("web") == 1, "the restart");
        FinishAll();
        await _watch.Idle;

        Assert.Equal(["web: src/app.rb changed; restarting (rolling)"], _notices);
        Assert.Equal(1, _watch.Started);
    }

    [Fact]
    public async Task A_burst_of_changes_closer_than_the_quiet_period_gives_one_restart()
    {
        for (int i = 0; i < 20; i++)
        {
            _watch.Changed("web", i % 2 == 0 ? "src/a.rb" : "src/b.rb");
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }
        Assert.Equal(0, RestartCount("web"));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await Poll.Until(() => RestartCount("web") == 1, "the restart");
        FinishAll();
        await _watch.Idle;
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, RestartCount("web"));
        Assert.Equal(["web: src/a.rb and 1 more changed; restarting (rolling)"], _notices);
    }

    [Fact]
    public async Task Changes_during_a_restart_give_exactly_one_more_after_it()
    {
        _watch.Changed("web", "src/a.rb");
        _time.Advance(TimeSpan.FromMilliseconds(300));
        await Poll.Until(() => RestartCount("web") == 1, "the first restart");

        // Three separate bursts while the first (slow, rolling) restart runs.
        for (int burst = 0; burst < 3; burst++)
        {
            _watch.Changed("web", $"src/{burst}.rb");
            _time.Advance(TimeSpan.FromMilliseconds(400));
        }
        Assert.Equal(1, RestartCount("web"));

        FinishAll();
        await Poll.Until(() => RestartCount("web") == 2, "the one restart that follows");
        FinishAll();
        await _watch.Idle;
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(2, RestartCount("web"));
        Assert.Equal("web: src/0.rb and 2 more changed; restarting (rolling)", _notices[^1]);
    }

    [Fact]
    public async Task Each_type_has_its_own_quiet_period()
    {
        _watch.Changed("web", "src/a.rb");
        _time.Advance(TimeSpan.FromMilliseconds(200));
        _watch.Changed("worker", "lib/job.rb");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await Poll.Until(() => RestartCount("web") == 1, "web's restart");
        Assert.Equal(0, RestartCount("worker"));

        _time.Advance(TimeSpan.FromMilliseconds(200));
        await Poll.Until(() => RestartCount("worker") == 1, "worker's restart");
        FinishAll();
        await _watch.Idle;
    }

    [Fact]
    public async Task Dependents_are_restarted_after_the_type_in_order()
    {
        using var watch = Create(new Dictionary<string, IReadOnlyList<string>> { ["db"] = ["web", "worker"] });
        watch.Changed("db", "schema.sql");
        _time.Advance(TimeSpan.FromMilliseconds(300));
        for (int i = 1; i <= 3; i++)
        {
            await Poll.Until(() => { lock (_restarts) { return _restarts.Count == i; } }, $"restart {i}");
            FinishAll();
        }
        await watch.Idle;

        lock (_restarts)
        {
            Assert.Equal(["db", "web", "worker"], _restarts.Select(r => r.Type));
        }
        Assert.Equal(["db: schema.sql changed; restarting (rolling), then its dependents (web, worker)"], _notices);
    }

    [Fact]
    public async Task A_failed_restart_is_told_and_the_next_change_restarts_again()
    {
        _watch.Changed("web", "a.rb");
        _time.Advance(TimeSpan.FromMilliseconds(300));
        await Poll.Until(() => RestartCount("web") == 1, "the restart");
        lock (_restarts)
        {
            _restarts[0].Done.SetException(new InvalidOperationException("web.1 did not accept connections on port 5000 within 30 s"));
        }
        await _watch.Idle;
        Assert.Equal("web: restart after a change failed: web.1 did not accept connections on port 5000 within 30 s", _notices[^1]);

        _watch.Changed("web", "a.rb");
        _time.Advance(TimeSpan.FromMilliseconds(300));
        await Poll.Until(() => RestartCount("web") == 2, "the next restart");
        FinishAll();
        await _watch.Idle;
    }

    [Fact]
    public async Task An_overflow_says_files_changed_without_naming_one()
    {
        _watch.Changed("web", null);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        await Poll.Until(() => RestartCount("web") == 1, "the restart");
        FinishAll();
        await _watch.Idle;
        Assert.Equal(["web: files changed (the change queue overflowed); restarting (rolling)"], _notices);
    }

    [Fact]
    public void Nothing_restarts_after_dispose()
    {
        _watch.Changed("web", "a.rb");
        _watch.Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));
        _watch.Changed("web", "a.rb");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, RestartCount("web"));
    }
}
