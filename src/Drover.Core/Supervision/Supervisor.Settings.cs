using Drover.Core.Formation;

namespace Drover.Core.Supervision;

/// <summary>A reload's changed settings that apply to a running instance without a new process.</summary>
public sealed partial class Supervisor
{
    /// <summary>
    /// Gives instance <paramref name="name"/> the settings of <paramref name="fresh"/> (the instance the reloaded
    /// files would make): restart policy, backoff and <c>max_restarts</c> from its next exit on, its stop signal,
    /// command and timeout from its next stop, its dependencies for a wait under way and for the shutdown order.
    /// The process keeps running; a waiting instance whose dependencies are now met starts.
    /// </summary>
    public Task ApplySettingsAsync(InstanceName name, Instance fresh) => OnLoop(() =>
    {
        ThrowIfShuttingDown();
        Find(name).TakeSettingsOf(fresh);
        ReleaseWaiting();
        return true;
    });
}
