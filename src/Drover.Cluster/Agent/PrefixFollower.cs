using Drover.Cluster.State;
using Drover.Cluster.Store;

namespace Drover.Cluster.Agent;

/// <summary>
/// Follows the app's prefix by watch revision: one full read at the start, then the watch's changes applied to an
/// in-memory copy (<see cref="PrefixCache"/>). A broken watch is resumed from the revision after the copy's, so
/// nothing is lost and nothing is read again; only a compaction (etcd no longer has the changes the copy misses)
/// or an explicit fresh read costs a full read of the prefix.
/// </summary>
public sealed class PrefixFollower
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(250);

    private readonly IClusterStore _store;
    private readonly string _prefix;
    private readonly Func<CancellationToken, Task<StoreSnapshot>> _read;
    private readonly Action _changed;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly PrefixCache _cache = new();
    private bool _valid;
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fullReads;
    private int _resumes;
    private int _compactions;

    /// <param name="store">The store to watch.</param>
    /// <param name="prefix">The prefix followed.</param>
    /// <param name="read">A full read of the prefix, with the caller's deadline.</param>
    /// <param name="changed">Called after every change of the copy (from the watch or a full read).</param>
    /// <param name="time">The clock.</param>
    public PrefixFollower(IClusterStore store, string prefix, Func<CancellationToken, Task<StoreSnapshot>> read, Action changed, TimeProvider time)
    {
        _store = store;
        _prefix = prefix;
        _read = read;
        _changed = changed;
        _time = time;
    }

    /// <summary>How many full reads of the prefix were made.</summary>
    public int FullReads => Volatile.Read(ref _fullReads);

    /// <summary>How many times a broken watch was resumed from the copy's revision.</summary>
    public int Resumes => Volatile.Read(ref _resumes);

    /// <summary>How many times the watch found its changes compacted away (each costs one full read).</summary>
    public int Compactions => Volatile.Read(ref _compactions);

    /// <summary>Reads the prefix, then follows it until <paramref name="cancel"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            long from;
            lock (_lock)
            {
                from = _valid ? _cache.Revision + 1 : 0;
            }
            try
            {
                if (from == 0)
                {
                    await ReadAsync(notify: true, cancel).ConfigureAwait(false);
                    continue;
                }
                await _store.WatchPrefixAsync(_prefix, from, Apply, cancel).ConfigureAwait(false);
                // Compacted: the changes after the copy's revision are gone, so the copy cannot be brought up to date.
                lock (_lock)
                {
                    _valid = false;
                }
                Interlocked.Increment(ref _compactions);
                continue;
            }
            catch (ClusterUnavailableException)
            {
                if (from != 0)
                {
                    Interlocked.Increment(ref _resumes);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await Task.Delay(Retry, _time, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The prefix as of a revision at least <paramref name="minRevision"/> (so that it holds this agent's own
    /// writes): the copy once the watch has brought it there (waiting at most <paramref name="catchUp"/>), else, or
    /// when <paramref name="fresh"/>, a full read.
    /// </summary>
    public async Task<StoreSnapshot> SnapshotAsync(long minRevision, bool fresh, TimeSpan catchUp, CancellationToken cancel)
    {
        if (!fresh)
        {
            long until = _time.GetTimestamp();
            while (true)
            {
                Task advanced;
                lock (_lock)
                {
                    if (_valid && _cache.Revision >= minRevision)
                    {
                        return _cache.Snapshot();
                    }
                    advanced = _advanced.Task;
                }
                var left = catchUp - _time.GetElapsedTime(until);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }
                try
                {
                    await advanced.WaitAsync(left, _time, cancel).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    break;
                }
            }
        }
        // The caller acts on this read itself: no wake-up for it.
        return await ReadAsync(notify: false, cancel).ConfigureAwait(false);
    }

    private async Task<StoreSnapshot> ReadAsync(bool notify, CancellationToken cancel)
    {
        var snapshot = await _read(cancel).ConfigureAwait(false);
        Interlocked.Increment(ref _fullReads);
        lock (_lock)
        {
            // A read older than the copy (the watch went past it meanwhile) would lose changes: the copy stays.
            if (!_valid || snapshot.Revision > _cache.Revision)
            {
                _cache.Load(snapshot);
                _valid = true;
                Advanced();
            }
            snapshot = _cache.Snapshot();
        }
        if (notify)
        {
            _changed();
        }
        return snapshot;
    }

    private void Apply(IReadOnlyList<StoreEvent> events)
    {
        bool applied;
        lock (_lock)
        {
            applied = _valid && _cache.Apply(events);
            if (applied)
            {
                Advanced();
            }
        }
        if (applied)
        {
            _changed();
        }
    }

    private void Advanced()
    {
        _advanced.TrySetResult();
        _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
