using Drover.Cluster.Store;
using Drover.Cluster.Tests.Support;

namespace Drover.Cluster.Tests;

/// <summary>The etcd client against a real etcd that loses a member.</summary>
[Collection("etcd")]
public sealed class EtcdStoreTests
{
    [Fact]
    public async Task A_member_killed_under_a_connected_client_fails_no_request()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var store = new EtcdStore(etcd.Endpoints, TimeSpan.FromSeconds(5));
        // Connected to every member first, as an agent is.
        for (int i = 0; i < 9; i++)
        {
            await store.GetPrefixAsync("/drover-test/", CancellationToken.None);
        }
        etcd.Kill((await etcd.LeaderAsync() + 1) % 3);

        // Round robin still picks the dead member now and then; before the retry of a refused call those failed (CI:
        // an agent's claim that kept falling on the dead member's turn never got through).
        for (int i = 0; i < 40; i++)
        {
            await store.PutAsync($"/drover-test/{i}", "x", 0, CancellationToken.None);
            Assert.Equal(i + 1, (await store.GetPrefixAsync("/drover-test/", CancellationToken.None)).Items.Count);
        }
    }
}
