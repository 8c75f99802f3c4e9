using Drover.Cluster.Agent;
using Drover.Cluster.State;
using Drover.Cluster.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Cluster.Tests;

/// <summary>
/// Following the app's prefix by watch revision, against the in-memory store on a fake clock: one full read at the
/// start, then changes from the watch only; a broken watch resumes from its revision and loses nothing; a
/// compaction costs exactly one full read; a caller that needs its own write waits for the watch to deliver it.
/// </summary>
public sealed class PrefixFollowerTests : IAsyncDisposable
{
    private const string Prefix = "/drover/t/";
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(1));
    private readonly MemoryStore _store;
    private readonly PrefixFollower _follower;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private int _wakes;

    public PrefixFollowerTests()
    {
        _store = new MemoryStore(_time, TimeSpan.FromSeconds(10));
        _follower = new PrefixFollower(_store, Prefix, c => _store.GetPrefixAsync(Prefix, c), () => Interlocked.Increment(ref _wakes), _time);
        _run = Task.Run(() => _follower.RunAsync(_stop.Token));
    }

    [Fact]
    public async Task After_the_first_read_every_change_comes_from_the_watch()
    {
        await PutAsync("desired", "{}");
        await UntilAsync(() => _store.WatchesOpened == 1, "the watch is open");
        for (int i = 1; i <= 20; i++)
        {
            await PutAsync($"slots/web.{i}", "n1");
        }
        await _store.DeleteIfLeaseAsync(Prefix + "slots/web.7", 0, CancellationToken.None);

        var copy = await _follower.SnapshotAsync(_store.LastWriteRevision, fresh: false, CatchUp, CancellationToken.None);

        Assert.Equal(1, _store.PrefixReads);
        Assert.Equal(1, _follower.FullReads);
        Assert.Equal(await ReadAsync(), Describe(copy));
        Assert.Equal(20, copy.Items.Count);
        Assert.True(Volatile.Read(ref _wakes) >= 2, "the reader is woken by the changes");
    }

    [Fact]
    public async Task A_broken_watch_resumes_from_its_revision_and_loses_nothing()
    {
        await UntilAsync(() => _store.WatchesOpened == 1, "the watch is open");
        await PutAsync("slots/web.1", "n1");
        await PutAsync("slots/web.2", "n1");
        await UntilAsync(async () => (await CopyAsync()).Items.Count == 2, "both claims in the copy");

        _store.WatchDown = true;
        _store.BreakWatches();
        // Changes made while no watch is open: a claim, a release, a change of the formation.
        await PutAsync("slots/web.3", "n2");
        await _store.DeleteIfLeaseAsync(Prefix + "slots/web.1", 0, CancellationToken.None);
        await PutAsync("desired", "{\"counts\":{\"web\":3}}");
        await AdvanceAsync(TimeSpan.FromSeconds(2));
        _store.WatchDown = false;
        await UntilAsync(() => _store.WatchesOpened >= 2, "the watch is open again");

        var copy = await _follower.SnapshotAsync(_store.LastWriteRevision, fresh: false, CatchUp, CancellationToken.None);
        Assert.Equal(await ReadAsync(), Describe(copy));
        Assert.True(_follower.Resumes >= 1);
        Assert.Equal(1, _follower.FullReads);
        Assert.Equal(0, _follower.Compactions);
    }

    [Fact]
    public async Task A_compacted_history_costs_one_full_read()
    {
        await UntilAsync(() => _store.WatchesOpened == 1, "the watch is open");
        await PutAsync("slots/web.1", "n1");
        await UntilAsync(async () => (await CopyAsync()).Items.Count == 1, "the claim in the copy");

        _store.WatchDown = true;
        _store.BreakWatches();
        await PutAsync("slots/web.2", "n1");
        await _store.DeleteIfLeaseAsync(Prefix + "slots/web.1", 0, CancellationToken.None);
        _store.Compact();
        _store.WatchDown = false;
        await UntilAsync(() => _follower.Compactions == 1 && _follower.FullReads == 2, "the compaction seen and read over");
        await PutAsync("slots/web.3", "n1");

        var copy = await _follower.SnapshotAsync(_store.LastWriteRevision, fresh: false, CatchUp, CancellationToken.None);
        Assert.Equal(await ReadAsync(), Describe(copy));
        Assert.Equal(["slots/web.2", "slots/web.3"], copy.Items.Select(i => i.Key[Prefix.Length..]));
        Assert.Equal(2, _follower.FullReads);
        Assert.Equal(1, _follower.Compactions);
    }

    [Fact]
    public async Task A_caller_waits_for_its_own_write_and_reads_when_the_watch_cannot_bring_it()
    {
        await UntilAsync(() => _store.WatchesOpened == 1, "the watch is open");
        _store.WatchDown = true;
        _store.BreakWatches();
        await PutAsync("slots/web.1", "n1");

        // The copy does not have the write and no watch brings it: after CatchUp, a full read does.
        var reading = _follower.SnapshotAsync(_store.LastWriteRevision, fresh: false, CatchUp, CancellationToken.None);
        await AdvanceAsync(CatchUp + TimeSpan.FromMilliseconds(200));
        var copy = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["slots/web.1"], copy.Items.Select(i => i.Key[Prefix.Length..]));
        Assert.Equal(2, _follower.FullReads);

        // Watched again: a fresh read is made only when asked for.
        _store.WatchDown = false;
        await UntilAsync(() => _store.WatchesOpened >= 2, "the watch is open again");
        await PutAsync("slots/web.2", "n1");
        await _follower.SnapshotAsync(_store.LastWriteRevision, fresh: false, CatchUp, CancellationToken.None);
        Assert.Equal(2, _follower.FullReads);
        await _follower.SnapshotAsync(0, fresh: true, CatchUp, CancellationToken.None);
        Assert.Equal(3, _follower.FullReads);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
        await _store.DisposeAsync();
    }

    private Task PutAsync(string key, string value) => _store.PutAsync(Prefix + key, value, 0, CancellationToken.None);

    private Task<Store.StoreSnapshot> CopyAsync() => _follower.SnapshotAsync(0, fresh: false, CatchUp, CancellationToken.None);

    private async Task<List<string>> ReadAsync() => Describe(await _store.GetPrefixAsync(Prefix, CancellationToken.None));

    private static List<string> Describe(Store.StoreSnapshot snapshot) =>
        snapshot.Items.Select(i => $"{i.Key}={i.Value}@{i.ModRevision}").ToList();

    private Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    private async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        for (int i = 0; i < 2000; i++)
        {
            if (await condition())
            {
                return;
            }
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }
        Assert.Fail($"not within 100 fake seconds: {what}");
    }

    private async Task AdvanceAsync(TimeSpan span)
    {
        for (var t = TimeSpan.Zero; t < span; t += TimeSpan.FromMilliseconds(50))
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }
    }
}
