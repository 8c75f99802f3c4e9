using Drover.Cluster.Store;

namespace Drover.Cluster.Tests.Fakes;

/// <summary>
/// An in-memory <see cref="IClusterStore"/> for unit tests of the agent's logic. <see cref="Hang"/> makes every
/// call from then on never complete and ignore its cancellation token, as a call stuck on a dead connection can.
/// It keeps the history of changes for watches, which <see cref="Compact"/> drops and <see cref="BreakWatches"/>
/// interrupts, as etcd's would.
/// </summary>
internal sealed class MemoryStore(TimeProvider time, TimeSpan ttl) : IClusterStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, StoreItem> _items = new(StringComparer.Ordinal);
    private readonly HashSet<long> _leases = [];
    private readonly List<StoreEvent> _history = [];
    private long _revision = 1;
    private long _compacted;
    private long _nextLease = 100;
    private long _lastWrite;
    private int _breaks;
    private int _prefixReads;
    private int _watchesOpened;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>While true, a watch cannot be opened (it fails at once, as with etcd unreachable for streams).</summary>
    public volatile bool WatchDown;

    /// <summary>Every call made from now on hangs for ever, whatever its token says.</summary>
    public volatile bool Hang;

    /// <summary>How long every call takes to answer, on the fake clock (a slow or CPU-starved etcd or agent).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When the last renewal that succeeded was made (fake clock).</summary>
    public DateTimeOffset LastRenewal { get; private set; }

    /// <summary>How many transactions creating slot claims (one slot or a batch) were made.</summary>
    public int ClaimTransactions { get; private set; }

    /// <summary>How many leases were granted.</summary>
    public int Granted => (int)(_nextLease - 100);

    /// <summary>How many full reads of a prefix were made.</summary>
    public int PrefixReads => Volatile.Read(ref _prefixReads);

    /// <summary>How many watches were opened.</summary>
    public int WatchesOpened => Volatile.Read(ref _watchesOpened);

    /// <summary>The current revision.</summary>
    public long Revision
    {
        get
        {
            lock (_lock)
            {
                return _revision;
            }
        }
    }

    /// <summary>Lets <paramref name="lease"/> expire: it and the keys attached to it are gone.</summary>
    public void Expire(long lease)
    {
        lock (_lock)
        {
            DropLease(lease);
        }
    }

    /// <summary>Drops the history up to the current revision: a watch from an earlier revision finds it compacted.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _compacted = _revision;
            _history.RemoveAll(e => e.Item.ModRevision <= _compacted);
        }
    }

    /// <summary>Ends every open watch with an error, as a dead connection would.</summary>
    public void BreakWatches()
    {
        lock (_lock)
        {
            _breaks++;
            Signal();
        }
    }

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancel) => Answer(() =>
    {
        long id = _nextLease++;
        _leases.Add(id);
        return id;
    });

    public Task<TimeSpan> KeepAliveOnceAsync(long lease, CancellationToken cancel) => Answer(() =>
    {
        if (!_leases.Contains(lease))
        {
            return TimeSpan.Zero;
        }
        LastRenewal = time.GetUtcNow();
        return ttl;
    });

    public Task<TimeSpan> LeaseRemainingAsync(long lease, CancellationToken cancel) =>
        Answer(() => _leases.Contains(lease) ? ttl : TimeSpan.FromSeconds(-1));

    public Task RevokeLeaseAsync(long lease, CancellationToken cancel) => Answer(() =>
    {
        DropLease(lease);
        return true;
    });

    public Task<StoreSnapshot> GetPrefixAsync(string prefix, CancellationToken cancel) =>
        Answer(() =>
        {
            _prefixReads++;
            return new StoreSnapshot(_revision, _items.Values.Where(i => i.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList());
        });

    public long LastWriteRevision => Interlocked.Read(ref _lastWrite);

    public Task PutAsync(string key, string value, long lease, CancellationToken cancel) => Answer(() => Write(key, value, lease));

    public Task<bool> CreateAsync(string key, string value, long lease, CancellationToken cancel) =>
        Answer(() =>
        {
            ClaimTransactions += key.Contains("/slots/", StringComparison.Ordinal) ? 1 : 0;
            return !_items.ContainsKey(key) && Write(key, value, lease);
        });

    public Task<bool> CreateAllAsync(IReadOnlyList<string> keys, string value, long lease, CancellationToken cancel) =>
        Answer(() =>
        {
            ClaimTransactions++;
            if (keys.Any(_items.ContainsKey))
            {
                return false;
            }
            // One transaction, one revision, as in etcd.
            long revision = _revision + 1;
            foreach (string k in keys)
            {
                Write(k, value, lease, revision);
            }
            return true;
        });

    public Task<bool> ReplaceAsync(string key, string value, long modRevision, CancellationToken cancel) =>
        Answer(() => (_items.TryGetValue(key, out var item) ? item.ModRevision : 0) == modRevision && Write(key, value, 0));

    public Task<bool> DeleteIfLeaseAsync(string key, long lease, CancellationToken cancel) =>
        Answer(() =>
        {
            if (!_items.TryGetValue(key, out var item) || item.Lease != lease)
            {
                return false;
            }
            Delete(key, ++_revision);
            _lastWrite = _revision;
            Signal();
            return true;
        });

    public Task<bool> AnyEndpointAcceptsAsync(CancellationToken cancel) => Task.FromResult(true);

    public async Task WatchPrefixAsync(string prefix, long fromRevision, Action<IReadOnlyList<StoreEvent>> changed, CancellationToken cancel)
    {
        if (Hang)
        {
            await new TaskCompletionSource().Task;
        }
        if (WatchDown)
        {
            throw new ClusterUnavailableException("watch: etcd unreachable");
        }
        Interlocked.Increment(ref _watchesOpened);
        long next = fromRevision;
        int breaks;
        lock (_lock)
        {
            breaks = _breaks;
        }
        while (true)
        {
            List<StoreEvent> batch;
            Task signal;
            lock (_lock)
            {
                if (_breaks != breaks)
                {
                    throw new ClusterUnavailableException("watch: the stream broke");
                }
                if (next <= _compacted)
                {
                    return;
                }
                batch = _history.Where(e => e.Item.ModRevision >= next && e.Item.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
                signal = _signal.Task;
            }
            if (batch.Count > 0)
            {
                next = batch[^1].Item.ModRevision + 1;
                changed(batch);
                continue;
            }
            await signal.WaitAsync(cancel);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private bool Write(string key, string value, long lease) => Write(key, value, lease, _revision + 1);

    private bool Write(string key, string value, long lease, long revision)
    {
        if (lease != 0 && !_leases.Contains(lease))
        {
            throw new ClusterUnavailableException("lease not found");
        }
        _revision = revision;
        var item = new StoreItem(key, value, lease, revision);
        _items[key] = item;
        _history.Add(new StoreEvent(item, false));
        _lastWrite = Math.Max(_lastWrite, revision);
        Signal();
        return true;
    }

    private void Delete(string key, long revision)
    {
        _items.Remove(key);
        _history.Add(new StoreEvent(new StoreItem(key, "", 0, revision), true));
    }

    private void DropLease(long lease)
    {
        _leases.Remove(lease);
        _revision++;
        foreach (var key in _items.Where(kv => kv.Value.Lease == lease).Select(kv => kv.Key).ToList())
        {
            Delete(key, _revision);
        }
        Signal();
    }

    private void Signal()
    {
        _signal.TrySetResult();
        _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task<T> Later<T>(TimeSpan latency, Func<T> answer)
    {
        await Task.Delay(latency, time);
        lock (_lock)
        {
            return answer();
        }
    }

    private Task<T> Answer<T>(Func<T> answer)
    {
        if (Hang)
        {
            return new TaskCompletionSource<T>().Task;
        }
        if (Latency > TimeSpan.Zero)
        {
            return Later(Latency, answer);
        }
        lock (_lock)
        {
            try
            {
                return Task.FromResult(answer());
            }
            catch (ClusterUnavailableException e)
            {
                return Task.FromException<T>(e);
            }
        }
    }
}
