namespace Drover.Core.Supervision;

/// <summary>Stopping the whole formation: SIGTERM to every group at once, SIGKILL to what is left after the timeout.</summary>
public sealed partial class Supervisor
{
    private void BeginShutdown()
    {
        if (_shuttingDown)
        {
            KillAll("second interrupt");
            return;
        }
        _shuttingDown = true;
        var signalled = new List<string>();
        foreach (var instance in _instances)
        {
            switch (instance.State)
            {
                case InstanceState.Running:
                    instance.Stopping();
                    signalled.Add(instance.Name.ToString());
                    break;
                case InstanceState.Pending or InstanceState.Backoff:
                    instance.StoppedIdle();
                    break;
            }
        }
        if (_liveGroups.Count > 0)
        {
            _output.System($"sending SIGTERM to all processes ({(signalled.Count > 0 ? string.Join(", ", signalled) : "leftovers")})");
        }
        // Every group at once: a slow one must not delay the others' notice.
        foreach (var process in _liveGroups.Keys)
        {
            process.SignalGroup(Signals.Term);
        }
        _killTimer = _time.CreateTimer(_ => Post(new SupervisorEvent.KillDeadline()), null, _options.StopTimeout, Timeout.InfiniteTimeSpan);
    }

    private void KillAll(string reason)
    {
        var killed = new List<string>();
        foreach (var (process, instance) in _liveGroups)
        {
            if (process.SignalGroup(Signals.Kill))
            {
                killed.Add(instance.Name.ToString());
            }
        }
        if (killed.Count > 0)
        {
            _output.System($"{reason}: sending SIGKILL to {string.Join(", ", killed)}");
        }
    }
}
