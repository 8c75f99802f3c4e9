using Drover.Core.Supervision.Events;

namespace Drover.Core.Supervision;

/// <summary>Stopping the whole formation: SIGTERM to every group at once, SIGKILL to what is left after the timeout.</summary>
public sealed partial class Supervisor
{
    private void BeginShutdown(ShutdownMode mode)
    {
        if (_phase is FormationPhase.ReapingStrays or FormationPhase.Done)
        {
            return;
        }
        if (_phase != FormationPhase.Running)
        {
            // Asked again while stopping: the second Ctrl-C.
            KillAll("second interrupt");
            return;
        }
        var signalled = new List<string>();
        foreach (var instance in _instances)
        {
            var from = instance.State;
            switch (from)
            {
                case InstanceState.Running:
                    instance.Stopping();
                    signalled.Add(instance.Name.ToString());
                    Changed(instance, from, ChangeReason.Shutdown);
                    break;
                case InstanceState.Pending or InstanceState.Backoff:
                    instance.StoppedIdle();
                    Changed(instance, from, ChangeReason.Shutdown);
                    break;
            }
        }
        if (mode == ShutdownMode.KillNow)
        {
            KillAll("shutdown without grace");
            return;
        }
        MoveTo(FormationPhase.Terminating, "shutdown requested");
        if (_liveGroups.Count > 0)
        {
            Notify($"sending SIGTERM to all processes ({(signalled.Count > 0 ? string.Join(", ", signalled) : "leftovers")})");
        }
        // Every group at once: a slow one must not delay the others' notice.
        foreach (var process in _liveGroups.Keys)
        {
            process.Terminate();
        }
        _killTimer = _time.CreateTimer(_ => Post(new SupervisorEvent.KillDeadline()), null, _options.StopTimeout, Timeout.InfiniteTimeSpan);
    }

    private void KillAll(string reason)
    {
        if (_phase != FormationPhase.Killing)
        {
            MoveTo(FormationPhase.Killing, reason);
        }
        var killed = new List<string>();
        foreach (var (process, instance) in _liveGroups)
        {
            if (process.Kill())
            {
                killed.Add(instance.Name.ToString());
            }
        }
        if (killed.Count > 0)
        {
            Notify($"{reason}: sending SIGKILL to {string.Join(", ", killed)}");
        }
    }
}
