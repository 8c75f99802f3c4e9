using Drover.Cluster.Store;

namespace Drover.Cluster.Tests.Fakes;

/// <summary>
/// An in-memory <see cref="IClusterStore"/> for unit tests of the agent's logic. <see cref="Hang"/> makes every
/// call from then on never complete and ignore its cancellation token, as a call stuck on a dead connection can.
/// </summary>
internal sealed class MemoryStore(TimeProvider time, TimeSpan ttl) : IClusterStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, StoreItem> _items = new(StringComparer.Ordinal);
    private readonly HashSet<long> _leases = [];
    private long _revision = 1;
    private long _nextLease = 100;

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

    /// <summary>Lets <paramref name="lease"/> expire: it and the keys attached to it are gone.</summary>
    public void Expire(long lease)
    {
        lock (_lock)
        {
            _leases.Remove(lease);
            foreach (var key in _items.Where(kv => kv.Value.Lease == lease).Select(kv => kv.Key).ToList())
            {
                _items.Remove(key);
            }
            _revision++;
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
        _leases.Remove(lease);
        return true;
    });

    public Task<StoreSnapshot> GetPrefixAsync(string prefix, CancellationToken cancel) =>
        Answer(() => new StoreSnapshot(_revision, _items.Values.Where(i => i.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList()));

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
            return keys.All(k => !_items.ContainsKey(k)) && keys.All(k => Write(k, value, lease));
        });

    public Task<bool> ReplaceAsync(string key, string value, long modRevision, CancellationToken cancel) =>
        Answer(() => (_items.TryGetValue(key, out var item) ? item.ModRevision : 0) == modRevision && Write(key, value, 0));

    public Task<bool> DeleteIfLeaseAsync(string key, long lease, CancellationToken cancel) =>
        Answer(() => _items.TryGetValue(key, out var item) && item.Lease == lease && _items.Remove(key));

    public Task<bool> AnyEndpointAcceptsAsync(CancellationToken cancel) => Task.FromResult(true);

    public async Task WatchPrefixAsync(string prefix, Action changed, CancellationToken cancel)
    {
        changed();
        await Task.Delay(Timeout.Infinite, cancel);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private bool Write(string key, string value, long lease)
    {
        if (lease != 0 && !_leases.Contains(lease))
        {
            throw new ClusterUnavailableException("lease not found");
        }
        _items[key] = new StoreItem(key, value, lease, ++_revision);
        return true;
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
