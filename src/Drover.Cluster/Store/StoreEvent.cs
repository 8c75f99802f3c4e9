namespace Drover.Cluster.Store;

/// <summary>One change of one key, as a watch reports it.</summary>
/// <param name="Item">
/// The key after the change; for a deletion only <see cref="StoreItem.Key"/> and <see cref="StoreItem.ModRevision"/>
/// (the revision of the deletion) are set.
/// </param>
/// <param name="Deleted">True when the key was deleted (or its lease expired).</param>
public sealed record StoreEvent(StoreItem Item, bool Deleted);
