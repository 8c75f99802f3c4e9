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
    /// How often the agent reads the whole prefix even though the watch reported nothing missing: a safety net
    /// against what no error reveals (a change applied wrongly to the in-memory copy, a stream that stays open but
    /// stops delivering). Changes are followed through the watch; a broken watch resumes from its revision, and
    /// only a compaction or a failed pass costs a read besides this.
    /// </summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a pass waits for the watch to bring the in-memory copy up to the agent's own last write before it
    /// reads the prefix instead.
    /// </summary>
    public TimeSpan CatchUp { get; init; } = TimeSpan.FromSeconds(1);
}
