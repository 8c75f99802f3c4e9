namespace Drover.Cluster.Store;

/// <summary>
/// The few etcd operations the cluster needs, behind a small seam. Every read is linearizable; every call has a
/// deadline, so a partition surfaces as an exception instead of a hang.
/// </summary>
public interface IClusterStore : IAsyncDisposable
{
    /// <summary>Grants a lease of <paramref name="ttl"/>; returns its id.</summary>
    Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancel);

    /// <summary>
    /// Renews <paramref name="lease"/> once and returns the TTL the server granted (zero or less: the lease is gone).
    /// Throws when no answer arrives before <paramref name="cancel"/> fires.
    /// </summary>
    Task<TimeSpan> KeepAliveOnceAsync(long lease, CancellationToken cancel);

    /// <summary>The time <paramref name="lease"/> has left, without renewing it (zero or less: the lease is gone).</summary>
    Task<TimeSpan> LeaseRemainingAsync(long lease, CancellationToken cancel);

    /// <summary>Revokes a lease, deleting every key attached to it.</summary>
    Task RevokeLeaseAsync(long lease, CancellationToken cancel);

    /// <summary>Every key under <paramref name="prefix"/>, with its lease and revisions (a linearizable read).</summary>
    Task<StoreSnapshot> GetPrefixAsync(string prefix, CancellationToken cancel);

    /// <summary>Writes a key, attached to <paramref name="lease"/> unless it is 0.</summary>
    Task PutAsync(string key, string value, long lease, CancellationToken cancel);

    /// <summary>Creates a key only if it does not exist (<c>CreateRevision == 0</c>); true when this call created it.</summary>
    Task<bool> CreateAsync(string key, string value, long lease, CancellationToken cancel);

    /// <summary>
    /// Creates every one of <paramref name="keys"/> (at most 64), all attached to <paramref name="lease"/>, in one
    /// transaction, only if none of them exists; true when this call created them all, false when it created none.
    /// </summary>
    Task<bool> CreateAllAsync(IReadOnlyList<string> keys, string value, long lease, CancellationToken cancel);

    /// <summary>Writes a key only if its <c>ModRevision</c> is still <paramref name="modRevision"/> (0: absent).</summary>
    Task<bool> ReplaceAsync(string key, string value, long modRevision, CancellationToken cancel);

    /// <summary>Deletes a key only if it is attached to <paramref name="lease"/>; true when it was deleted.</summary>
    Task<bool> DeleteIfLeaseAsync(string key, long lease, CancellationToken cancel);

    /// <summary>
    /// True when at least one endpoint accepts a TCP connection: etcd is there, even if it cannot serve (no quorum,
    /// too slow). False points to a wrong address.
    /// </summary>
    Task<bool> AnyEndpointAcceptsAsync(CancellationToken cancel);

    /// <summary>
    /// The highest store revision at which a write made through this store succeeded (0: none yet). A copy of the
    /// prefix kept by watch events has seen this process's own writes once it has reached this revision.
    /// </summary>
    long LastWriteRevision { get; }

    /// <summary>
    /// Delivers to <paramref name="changed"/>, in revision order, every change under <paramref name="prefix"/> from
    /// revision <paramref name="fromRevision"/> on (the changes of one revision are never split over two calls). Returns when the store
    /// no longer keeps the changes from <paramref name="fromRevision"/> (compacted): the caller must read the prefix
    /// again. Throws <see cref="ClusterUnavailableException"/> when the watch breaks (a dead connection, a stream
    /// deadline): the caller may watch again from the revision after the last one delivered, losing nothing.
    /// </summary>
    Task WatchPrefixAsync(string prefix, long fromRevision, Action<IReadOnlyList<StoreEvent>> changed, CancellationToken cancel);
}
