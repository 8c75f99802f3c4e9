namespace Drover.Cluster.State;

/// <summary>The value of <c>desired</c>: how many of each type the cluster should run, and how each is fenced.</summary>
/// <param name="Counts">Process type to count.</param>
/// <param name="Revision">The app revision (hash of Procfile and env) of the agent that first wrote it.</param>
/// <param name="Fenced">
/// The types whose policy is <c>fenced</c> (at most once: stopped by an agent that cannot confirm its lease);
/// every other type is <c>keep</c> (at least once: runs on through an etcd outage or a partition).
/// </param>
public sealed record DesiredState(IReadOnlyDictionary<string, int> Counts, string Revision, IReadOnlyList<string>? Fenced = null)
{
    /// <summary>True when <paramref name="type"/>'s policy is <c>fenced</c>.</summary>
    public bool IsFenced(string type) => Fenced is not null && Fenced.Contains(type, StringComparer.Ordinal);
}

/// <summary>The two fencing policies of a process type.</summary>
public static class FencingPolicy
{
    /// <summary>At least once (the default): a cut-off agent keeps the processes running.</summary>
    public const string Keep = "keep";

    /// <summary>At most once: a cut-off agent stops the processes before its lease can expire.</summary>
    public const string Fenced = "fenced";
}

/// <summary>The value of <c>nodes/NODE</c>: one live agent, written when its slots change; it lives as long as its lease.</summary>
/// <param name="Node">The agent's node name.</param>
/// <param name="Capacity">How many slots it may run.</param>
/// <param name="Lease">The agent's lease (its claims are attached to it).</param>
/// <param name="HeartbeatUnixMs">When it last wrote this record.</param>
/// <param name="Revision">Its app revision.</param>
/// <param name="Types">The process types its Procfile has.</param>
/// <param name="Slots">The slots it runs, with their state.</param>
/// <param name="LeaseTtlMs">Its lease TTL.</param>
/// <param name="FenceMarginMs">How long before its lease could expire it fences.</param>
public sealed record NodeRecord(
    string Node,
    int Capacity,
    long Lease,
    long HeartbeatUnixMs,
    string Revision,
    IReadOnlyList<string> Types,
    IReadOnlyList<SlotStatus> Slots,
    long LeaseTtlMs = 0,
    long FenceMarginMs = 0);

/// <summary>A slot's state as its owner reports it.</summary>
/// <param name="Name">e.g. <c>web.3</c>.</param>
/// <param name="State">The supervisor's state, lower case (running, backoff, ...).</param>
/// <param name="Pid">The process id on the owner's machine.</param>
/// <param name="Restarts">Restarts after crashes.</param>
/// <param name="Port">Its PORT.</param>
/// <param name="RestartGeneration">The last restart generation the owner carried out.</param>
/// <param name="Listening">True when the process accepts connections on its PORT (on the owner's machine).</param>
public sealed record SlotStatus(string Name, string State, int? Pid, int Restarts, int? Port, long RestartGeneration, bool Listening = false);

/// <summary>The value of <c>slots/TYPE.N</c>: who owns the slot. The key is attached to that agent's lease.</summary>
/// <param name="Node">The owner's node name.</param>
public sealed record SlotClaim(string Node);
