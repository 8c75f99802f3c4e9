using Drover.Cluster.State;
using Drover.Cluster.Store;

namespace Drover.Cluster.Tests;

/// <summary>The in-memory copy of a prefix: watch changes applied in revision order, nothing applied twice.</summary>
public sealed class PrefixCacheTests
{
    private static StoreEvent Put(string key, string value, long revision) => new(new StoreItem(key, value, 0, revision), false);

    private static StoreEvent Del(string key, long revision) => new(new StoreItem(key, "", 0, revision), true);

    private static List<string> Keys(PrefixCache cache) => cache.Snapshot().Items.Select(i => $"{i.Key}={i.Value}@{i.ModRevision}").ToList();

    [Fact]
    public void Changes_a_later_full_read_already_has_are_skipped_and_the_rest_applied_in_order()
    {
        var cache = new PrefixCache();
        cache.Load(new StoreSnapshot(5, [new StoreItem("a", "1", 0, 3), new StoreItem("b", "2", 0, 5)]));

        // A watch resumed from revision 4 delivers 4 and 5 again (the read at 5 has them), then 6 and 7.
        Assert.True(cache.Apply([Put("b", "old", 4), Put("b", "2", 5), Put("c", "3", 6), Del("a", 7)]));

        Assert.Equal(["b=2@5", "c=3@6"], Keys(cache));
        Assert.Equal(7, cache.Revision);
    }

    [Fact]
    public void The_changes_of_one_transaction_share_a_revision_and_are_all_applied_once()
    {
        var cache = new PrefixCache();
        cache.Load(new StoreSnapshot(5, []));
        List<StoreEvent> claims = [Put("s/web.1", "n1", 6), Put("s/web.2", "n1", 6), Put("s/web.3", "n1", 6)];

        Assert.True(cache.Apply(claims));
        Assert.Equal(["s/web.1=n1@6", "s/web.2=n1@6", "s/web.3=n1@6"], Keys(cache));
        // The same batch again (a watch resumed from revision 6): nothing changes.
        Assert.False(cache.Apply(claims));
        Assert.Equal(6, cache.Revision);
    }

    [Fact]
    public void A_key_deleted_and_created_again_ends_as_its_last_change()
    {
        var cache = new PrefixCache();
        cache.Load(new StoreSnapshot(1, []));

        cache.Apply([Put("k", "v1", 2)]);
        cache.Apply([Del("k", 3), Put("k", "v2", 4)]);
        cache.Apply([Put("j", "x", 5), Del("j", 6)]);

        Assert.Equal(["k=v2@4"], Keys(cache));
        Assert.Equal(6, cache.Revision);
    }

    [Fact]
    public void A_full_read_replaces_everything()
    {
        var cache = new PrefixCache();
        cache.Load(new StoreSnapshot(3, [new StoreItem("gone", "1", 0, 2)]));
        cache.Load(new StoreSnapshot(9, [new StoreItem("new", "2", 0, 8)]));
        Assert.Equal(["new=2@8"], Keys(cache));
        Assert.Equal(9, cache.Revision);
    }
}
