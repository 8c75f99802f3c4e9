using Drover.Cluster.Store;

namespace Drover.Cluster.State;

/// <summary>
/// An in-memory copy of the keys under a prefix at one revision: loaded from a full read, then kept current by the
/// watch's changes. Pure and not thread-safe (its owner locks).
/// </summary>
public sealed class PrefixCache
{
    private readonly SortedDictionary<string, StoreItem> _items = new(StringComparer.Ordinal);

    /// <summary>The revision the copy is at: every change up to it is in, none after it.</summary>
    public long Revision { get; private set; }

    /// <summary>Replaces the copy with a full read.</summary>
    public void Load(StoreSnapshot snapshot)
    {
        _items.Clear();
        foreach (var item in snapshot.Items)
        {
            _items[item.Key] = item;
        }
        Revision = snapshot.Revision;
    }

    /// <summary>
    /// Applies one batch of watch changes in order, skipping those the copy already has (from a full read at a
    /// later revision, or delivered again by a watch resumed from an earlier revision). True when anything changed.
    /// </summary>
    public bool Apply(IReadOnlyList<StoreEvent> events)
    {
        // Compared with the revision before the batch: the several changes of one transaction share a revision.
        long before = Revision;
        bool applied = false;
        foreach (var e in events)
        {
            if (e.Item.ModRevision <= before)
            {
                continue;
            }
            if (e.Deleted)
            {
                _items.Remove(e.Item.Key);
            }
            else
            {
                _items[e.Item.Key] = e.Item;
            }
            Revision = Math.Max(Revision, e.Item.ModRevision);
            applied = true;
        }
        return applied;
    }

    /// <summary>The copy as a snapshot (keys sorted), as a full read at <see cref="Revision"/> would have returned it.</summary>
    public StoreSnapshot Snapshot() => new(Revision, _items.Values.ToList());
}
