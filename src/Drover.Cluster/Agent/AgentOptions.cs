using Drover.Cluster.State;

namespace Drover.Cluster.Agent;

/// <summary>How one agent joins and behaves.</summary>
/// <param name="Keys">The app's keys.</param>
/// <param name="Node">This agent's node name (unique among live agents).</param>
/// <param name="Capacity">How many slots it may run.</param>
/// <param name="LeaseTtl">The lease TTL: how long after its last renewal its slots may move elsewhere.</param>
/// <param name="FenceMargin">
/// How long before the lease could expire the agent stops its processes when it could not renew: at least the
/// stop timeout plus a safety allowance.
/// </param>
/// <param name="InitialDesired">The desired formation to write if the cluster has none yet; its revision is this node's.</param>
/// <param name="Types">The process types this node's Procfile has.</param>
public sealed record AgentOptions(
    ClusterKeys Keys,
    string Node,
    int Capacity,
    TimeSpan LeaseTtl,
    TimeSpan FenceMargin,
    DesiredState InitialDesired,
    IReadOnlyList<string> Types)
{
    /// <summary>How often the lease is renewed.</summary>
    public TimeSpan KeepAliveInterval => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, LeaseTtl.Ticks / 10));

    /// <summary>
    /// The longest the agent waits for any one etcd call before it gives up on it (the call may go on; its answer
    /// is ignored). The fence never waits for a call at all.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the agent re-reads the cluster even when the watch reported no change (a safety net: changes
    /// are followed through the watch; the node record is only written when its slots change).
    /// </summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(10);
}
