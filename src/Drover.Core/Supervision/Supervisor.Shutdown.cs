using Drover.Core.Output;
using Drover.Core.Settings;
using Drover.Core.Supervision.Events;

namespace Drover.Core.Supervision;

/// <summary>
/// Stopping the whole formation. Without dependencies or per-type shutdown settings: SIGTERM to every group at
/// once, SIGKILL to what is left after the timeout. With them, in order: an instance is asked to stop only once
/// every instance that depends on its type has exited (levels of the dependency graph), each with its type's
/// signal or stop command and its own timeout before SIGKILL. A second request kills everything at once.
/// </summary>
public sealed partial class Supervisor
{
    // Owned by the event loop: this shutdown goes level by level (set when it begins).
    private bool _orderedShutdown;

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
        _orderedShutdown = mode == ShutdownMode.Graceful && _instances.Any(i =>
            i.Settings.DependsOn.Count > 0 || i.Settings.Shutdown != ShutdownSpec.Inherit);
        if (mode == ShutdownMode.Graceful && !_orderedShutdown)
        {
            // Armed before any instance is seen stopping: whoever sees a change can count on the deadline.
            _killTimer = _time.CreateTimer(_ => Post(new SupervisorEvent.KillDeadline()), null, _options.StopTimeout, Timeout.InfiniteTimeSpan);
        }
        var signalled = new List<string>();
        foreach (var instance in _instances)
        {
            var from = instance.State;
            switch (from)
            {
                case InstanceState.Running when !_orderedShutdown:
                    instance.StopProbes();
                    instance.Stopping();
                    signalled.Add(instance.Name.ToString());
                    Changed(instance, from, ChangeReason.Shutdown);
                    break;
                case InstanceState.Pending or InstanceState.Backoff or InstanceState.Waiting:
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
        if (_orderedShutdown)
        {
            // Leftovers of exited leaders go at once; the instances in order (AdvanceShutdown, after every event).
            foreach (var owner in _instances.Where(i => i.State is not (InstanceState.Running or InstanceState.Stopping)))
            {
                foreach (var group in owner.Groups.Where(g => g.IsAlive && g.Process.Terminate()))
                {
                    ArmGroupDeadline(group, StopTimeoutOf(owner));
                }
            }
            return;
        }
        var live = _instances.SelectMany(i => i.Groups).Where(g => g.IsAlive).ToList();
        if (live.Count > 0)
        {
            Notify($"sending SIGTERM to all processes ({(signalled.Count > 0 ? string.Join(", ", signalled) : "leftovers")})");
        }
        // Every group at once: a slow one must not delay the others' notice.
        foreach (var group in live)
        {
            group.Process.Terminate();
        }
    }

    /// <summary>
    /// In an ordered shutdown, asks every running instance that no live instance depends on any more to stop.
    /// Should nothing be stoppable while instances still run (a cycle), they all are asked.
    /// </summary>
    private void AdvanceShutdown()
    {
        if (!_orderedShutdown || _phase != FormationPhase.Terminating)
        {
            return;
        }
        var running = _instances.Where(i => i.State == InstanceState.Running).ToList();
        if (running.Count == 0)
        {
            return;
        }
        var level = running.Where(i => !NeededByLiveDependent(i)).ToList();
        if (level.Count == 0 && !_instances.Any(i => i.State == InstanceState.Stopping))
        {
            level = running;
        }
        if (level.Count == 0)
        {
            return;
        }
        var waiting = running.Except(level).Select(i => i.Name.ToString()).ToList();
        Notify($"stopping {string.Join(", ", level.Select(i => i.Name))}{(waiting.Count > 0 ? $" (then {string.Join(", ", waiting)})" : "")}");
        foreach (var instance in level)
        {
            StopGracefully(instance, ChangeReason.Shutdown);
        }
    }

    /// <summary>
    /// Asks a running instance to stop the way its type says: its stop command, else its stop signal (SIGTERM by
    /// default); SIGKILL to its group after its stop timeout.
    /// </summary>
    private void StopGracefully(Instance instance, ChangeReason reason)
    {
        var group = instance.Group!;
        var shutdown = instance.Settings.Shutdown;
        instance.StopProbes();
        instance.Stopping();
        Changed(instance, InstanceState.Running, reason);
        if (shutdown.Command is string command)
        {
            Notify($"stopping {instance.Name}: running its stop command");
            RunStopCommand(instance, command);
        }
        else
        {
            var signal = StopSignalOf(instance);
            if (reason != ChangeReason.Shutdown)
            {
                Notify($"stopping {instance.Name}: sending {StopSignals.Name(signal)} to process group {group.Process.Pid}");
            }
            group.Process.Signal(signal);
        }
        ArmGroupDeadline(group, StopTimeoutOf(instance));
    }

    /// <summary>
    /// Runs a type's stop command with the instance's environment, as a group of its own that Drover waits for
    /// (and kills at the stop timeout), so it cannot outlive the formation.
    /// </summary>
    private void RunStopCommand(Instance instance, string command)
    {
        IRunningProcess stopper;
        try
        {
            stopper = _launcher.Start(instance.Spec with { Name = $"{instance.Name} stop", Command = command, Helper = true },
                new LineFramer(_output, instance.Output), _ => { });
        }
        catch (LaunchException e)
        {
            Notify($"{instance.Name}: its stop command could not start ({e.Message}); sending SIGTERM");
            instance.Process!.Terminate();
            return;
        }
        var group = instance.StopCommandStarted(stopper);
        ArmGroupDeadline(group, StopTimeoutOf(instance));
        stopper.Exited.ContinueWith(
            t => Post(new SupervisorEvent.Invoke(() =>
            {
                if (!t.Result.Success)
                {
                    Notify($"{instance.Name}'s stop command {t.Result}");
                }
            })),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        stopper.GroupGone.ContinueWith(
            _ => Post(new SupervisorEvent.GroupGone(group)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static StopSignal StopSignalOf(Instance instance) =>
        instance.Settings.Shutdown.Signal is int n && StopSignals.TryFromNumber(n, out var signal) ? signal : StopSignal.Terminate;

    private TimeSpan StopTimeoutOf(Instance instance) => instance.Settings.Shutdown.Timeout ?? _options.StopTimeout;

    private void KillAll(string reason)
    {
        if (_phase != FormationPhase.Killing)
        {
            MoveTo(FormationPhase.Killing, reason);
        }
        // In an ordered shutdown some have not been asked yet: their exits now are part of the shutdown too.
        foreach (var instance in _instances.Where(i => i.State == InstanceState.Running))
        {
            instance.StopProbes();
            instance.Stopping();
            Changed(instance, InstanceState.Running, ChangeReason.Shutdown);
        }
        var killed = new List<string>();
        foreach (var instance in _instances)
        {
            foreach (var group in instance.Groups)
            {
                if (group.IsAlive && group.Process.Kill())
                {
                    killed.Add(instance.Name.ToString());
                }
            }
        }
        if (killed.Count > 0)
        {
            Notify($"{reason}: sending SIGKILL to {string.Join(", ", killed)}");
        }
    }
}
