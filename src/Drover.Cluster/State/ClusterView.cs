using System.Globalization;
using System.Text.Json;
using Drover.Cluster.Store;
using Drover.Core.Formation;

namespace Drover.Cluster.State;

/// <summary>An app's cluster state, read at one revision and parsed. Values that do not parse are skipped.</summary>
/// <param name="Desired">The desired formation, or null when nobody wrote it yet.</param>
/// <param name="DesiredModRevision">The <c>ModRevision</c> of <c>desired</c> (0: absent), for compare-and-swap.</param>
/// <param name="Nodes">Live agents by node name.</param>
/// <param name="Claims">Slot owners: the claim and the lease it is attached to.</param>
/// <param name="RestartGenerations">Restart generations by slot.</param>
public sealed record ClusterView(
    DesiredState? Desired,
    long DesiredModRevision,
    IReadOnlyDictionary<string, NodeRecord> Nodes,
    IReadOnlyDictionary<InstanceName, (SlotClaim Claim, long Lease)> Claims,
    IReadOnlyDictionary<InstanceName, long> RestartGenerations)
{
    /// <summary>Parses the keys of <paramref name="snapshot"/> under <paramref name="keys"/>' prefix.</summary>
    public static ClusterView Parse(ClusterKeys keys, StoreSnapshot snapshot)
    {
        DesiredState? desired = null;
        long desiredRevision = 0;
        var nodes = new SortedDictionary<string, NodeRecord>(StringComparer.Ordinal);
        var claims = new Dictionary<InstanceName, (SlotClaim, long)>();
        var restarts = new Dictionary<InstanceName, long>();
        foreach (var item in snapshot.Items)
        {
            try
            {
                if (item.Key == keys.Desired)
                {
                    desired = JsonSerializer.Deserialize(item.Value, ClusterJson.Default.DesiredState);
                    desiredRevision = item.ModRevision;
                }
                else if (item.Key.StartsWith(keys.NodesPrefix, StringComparison.Ordinal))
                {
                    if (JsonSerializer.Deserialize(item.Value, ClusterJson.Default.NodeRecord) is { } node)
                    {
                        nodes[item.Key[keys.NodesPrefix.Length..]] = node;
                    }
                }
                else if (item.Key.StartsWith(keys.SlotsPrefix, StringComparison.Ordinal))
                {
                    if (InstanceName.TryParse(item.Key[keys.SlotsPrefix.Length..], out var slot)
                        && JsonSerializer.Deserialize(item.Value, ClusterJson.Default.SlotClaim) is { } claim)
                    {
                        claims[slot] = (claim, item.Lease);
                    }
                }
                else if (item.Key.StartsWith(keys.RestartsPrefix, StringComparison.Ordinal)
                    && InstanceName.TryParse(item.Key[keys.RestartsPrefix.Length..], out var restarted)
                    && long.TryParse(item.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long generation))
                {
                    restarts[restarted] = generation;
                }
            }
            catch (JsonException)
            {
                // A value written by something else: not ours to interpret.
            }
        }
        return new ClusterView(desired, desiredRevision, nodes, claims, restarts);
    }

    /// <summary>Every slot the desired formation asks for, type by type (types in name order), index by index.</summary>
    public IReadOnlyList<InstanceName> DesiredSlots() =>
        Desired is null
            ? []
            : Desired.Counts.Where(kv => kv.Value > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .SelectMany(kv => Enumerable.Range(1, kv.Value).Select(i => new InstanceName(kv.Key, i)))
                .ToList();

    /// <summary>True when the desired formation includes <paramref name="slot"/>.</summary>
    public bool IsDesired(InstanceName slot) =>
        Desired is not null && Desired.Counts.TryGetValue(slot.Type, out int count) && slot.Index <= count;

    /// <summary>The restart generation of <paramref name="slot"/> (0 when never restarted).</summary>
    public long RestartGeneration(InstanceName slot) => RestartGenerations.GetValueOrDefault(slot);
}
