using Drover.Core.Formation;
using Drover.Core.Supervision;

namespace Drover.Cluster.Agent;

/// <summary>The agent's hands on its local processes: start, stop and restart slots, and fence them all.</summary>
public interface ISlotRunner
{
    /// <summary>True when this node's Procfile has the type.</summary>
    bool CanRun(string type);

    /// <summary>The state of every local slot.</summary>
    Task<IReadOnlyList<InstanceSnapshot>> SnapshotAsync();

    /// <summary>Starts a slot; does nothing while its type is fenced.</summary>
    Task StartAsync(InstanceName slot);

    /// <summary>Stops a slot (SIGTERM, SIGKILL after the stop timeout) and forgets it; completes when its group is gone.</summary>
    Task StopAsync(InstanceName slot);

    /// <summary>Stops a slot and starts a fresh one in its place; does not start while its type is fenced.</summary>
    Task RestartAsync(InstanceName slot);

    /// <summary>
    /// Refuses every further start of the types <paramref name="fenced"/> selects and stops their slots (SIGTERM,
    /// SIGKILL after the stop timeout); completes when they are gone. Slots of other types run on.
    /// </summary>
    Task FenceAsync(Func<string, bool> fenced);

    /// <summary>Allows starts again (after rejoining with a new lease).</summary>
    void Unfence();

    /// <summary>
    /// Calls <paramref name="changed"/> (quickly, on any thread) whenever a local slot changes on its own (a crash,
    /// a restart), so the agent publishes it without waiting for its next pass. Disposing the result stops it.
    /// </summary>
    IDisposable OnLocalChange(Action changed) => NoWatch.Instance;

    private sealed class NoWatch : IDisposable
    {
        public static readonly NoWatch Instance = new();

        public void Dispose()
        {
        }
    }
}
