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

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the running slots; returns them. Polls asynchronously
    /// (a blocking poll could starve the test host's few thread-pool threads on 2 cores, and with them the gRPC
    /// calls' continuations), and a timeout says how many reads failed and when the state shown was read, so a
    /// probe that could not read is not mistaken for agents that did nothing.
    /// </summary>
    public async Task<Dictionary<string, string>> WaitAsync(Func<Dictionary<string, string>, bool> condition, string what, TimeSpan? limit = null)
    {
        var timeout = limit ?? TimeSpan.FromSeconds(60);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Dictionary<string, string> last = [];
        TimeSpan lastRead = TimeSpan.Zero;
        int reads = 0, failed = 0;
        string? error = null;
        while (true)
        {
            reads++;
            try
            {
                last = ClusterProbeRows.Running(await ReadAsync());
                lastRead = clock.Elapsed;
                if (condition(last))
                {
                    return last;
                }
            }
            catch (ClusterUnavailableException e)
            {
                failed++;
                error = e.Message;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"still not true after {timeout.TotalSeconds} s: {what}; running (read at +{lastRead.TotalSeconds:0.0} s): "
                    + string.Join(", ", last.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}@{kv.Value}"))
                    + $"; {failed} of {reads} reads failed{(error is null ? "" : $", the last with: {error}")}");
            }
            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}

/// <summary>The running slots of a view: claimed by a live node whose record reports them running.</summary>
internal static class ClusterProbeRows
{
    public static Dictionary<string, string> Running(ClusterView view)
    {
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
}
