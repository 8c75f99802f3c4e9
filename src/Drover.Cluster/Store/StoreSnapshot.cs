namespace Drover.Cluster.Store;

/// <summary>Keys read at one store revision.</summary>
/// <param name="Revision">The store's revision at the read.</param>
/// <param name="Items">The keys, sorted by key.</param>
public sealed record StoreSnapshot(long Revision, IReadOnlyList<StoreItem> Items);

/// <summary>One key as stored.</summary>
/// <param name="Key">The full key.</param>
/// <param name="Value">The value, as UTF-8 text.</param>
/// <param name="Lease">The lease it is attached to, or 0.</param>
/// <param name="ModRevision">The revision of its last change.</param>
public sealed record StoreItem(string Key, string Value, long Lease, long ModRevision);
