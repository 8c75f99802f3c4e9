using Drover.Cluster.State;
using Drover.Cluster.Store;

namespace Drover.Cluster.Tests.Support;

/// <summary>Reads an app's cluster state straight from etcd, for assertions.</summary>
internal sealed class ClusterProbe(string endpoints, string app) : IAsyncDisposable
{
    private readonly EtcdStore _store = new(endpoints, TimeSpan.FromSeconds(3));
    private readonly ClusterKeys _keys = new(app);

    public async Task<ClusterView> ReadAsync() =>
        ClusterView.Parse(_keys, await _store.GetPrefixAsync(_keys.Prefix, CancellationToken.None));

    /// <summary>Slot name to node, for slots whose owner reports them running; null when etcd did not answer.</summary>
    public async Task<Dictionary<string, string>?> RunningAsync()
    {
        ClusterView view;
        try
        {
            view = await ReadAsync();
        }
        catch (ClusterUnavailableException)
        {
            return null;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (slot, claim) in view.Claims)
        {
            if (view.Nodes.TryGetValue(claim.Claim.Node, out var node) && node.Lease == claim.Lease
                && node.Slots.Any(s => s.Name == slot.ToString() && s.State == "running"))
            {
                result[slot.ToString()] = claim.Claim.Node;
            }
        }
        return result;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the running slots; returns them.</summary>
    public async Task<Dictionary<string, string>> WaitAsync(Func<Dictionary<string, string>, bool> condition, string what, TimeSpan? limit = null)
    {
        Dictionary<string, string> last = [];
        await Eventually.HoldsAsync(() =>
        {
            var now = RunningAsync().GetAwaiter().GetResult();
            if (now is null)
            {
                return false;
            }
            last = now;
            return condition(now);
        }, limit ?? TimeSpan.FromSeconds(60), () => $"{what}; running: {string.Join(", ", last.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}@{kv.Value}"))}");
        return last;
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
