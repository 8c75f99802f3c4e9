using Drover.Core.Output;
using Drover.Core.Supervision.Events;

namespace Drover.Core.Supervision;

/// <summary>Starting processes, noticing their exits, and restarting them with backoff.</summary>
public sealed partial class Supervisor
{
    // Owned by the event loop: the advice about system limits already given.
    private readonly HashSet<string> _limitsReported = [];

    private void Start(Instance instance)
    {
        IRunningProcess process;
        var from = instance.State;
        try
        {
            // Published from the launcher's callback, before the new pipe is read: the "started" line comes
            // before the process's first line.
            process = _launcher.Start(
                instance.Spec,
                OutputFor(instance),
                pid =>
                {
                    instance.Started(pid, _time.GetUtcNow());
                    Changed(instance, from, ChangeReason.Started);
                });
        }
        catch (LaunchException ex)
        {
            // Treated like the shell's "cannot execute" (127), under the same restart policy as any exit. The
            // same failure again (a limit still reached) is not repeated; what to do about a limit is said once.
            if (instance.StartFailure != ex.Message)
            {
                Notify($"{instance.Name} failed to start: {ex.Message}");
                instance.StartFailure = ex.Message;
            }
            if (ex.LimitAdvice is string advice && _limitsReported.Add(advice))
            {
                Notify($"warning: a system limit stops processes from starting: {advice}; the formation keeps running and failed starts are retried with backoff");
            }
            var status = ExitStatus.Exited(127);
            var next = AfterExit(instance, status);
            if (next != InstanceState.Backoff)
            {
                instance.StartFailed(status, next);
                Changed(instance, from, ChangeReason.StartFailed);
                AfterFinalExit(instance, status);
                return;
            }
            instance.StartFailed(status);
            Changed(instance, from, ChangeReason.StartFailed);
            ScheduleRestart(instance, instance.Backoff.Next(TimeSpan.Zero));
            return;
        }
        instance.Attach(process);
        instance.StartFailure = null;
        var group = instance.Group!;
        StartProbes(instance);
        int generation = instance.Generation;
        process.Exited.ContinueWith(
            t => Post(new SupervisorEvent.ProcessExited(instance, generation, t.Result)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        process.GroupGone.ContinueWith(
            _ => Post(new SupervisorEvent.GroupGone(group)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnExited(Instance instance, ExitStatus status)
    {
        var group = instance.Group!;
        var from = instance.State;
        instance.StopProbes();
        if (from == InstanceState.Stopping)
        {
            // Stopped because its liveness probe failed: started again (unless the formation is stopping).
            bool again = instance.RestartWhenStopped && !ShuttingDown;
            instance.RestartWhenStopped = false;
            instance.ProcessExited(status, again ? InstanceState.Backoff : InstanceState.Stopped);
            Changed(instance, from, ChangeReason.Exited);
            if (again)
            {
                ScheduleRestart(instance, instance.Backoff.Next(_time.GetUtcNow() - instance.StartedAt));
            }
            return;
        }

        // The move is decided now, published with the exit line; the leftovers and the port are seen to after.
        var next = AfterExit(instance, status);
        bool restart = next == InstanceState.Backoff;
        instance.ProcessExited(status, next);
        Changed(instance, from, ChangeReason.Exited);

        // Whatever the leader left behind in its group must not outlive it unsupervised.
        if (group.State == GroupState.Lingering && group.Process.Terminate())
        {
            Notify($"sending SIGTERM to what is left of {instance.Name}'s process group (pid {group.Process.Pid})");
            ArmGroupDeadline(group, StopTimeoutOf(instance));
        }

        if (!status.Success)
        {
            ReportTakenPort(instance);
        }

        if (!restart)
        {
            AfterFinalExit(instance, status);
            return;
        }
        ScheduleRestart(instance, instance.Backoff.Next(_time.GetUtcNow() - instance.StartedAt));
    }

    /// <summary>
    /// Where an exit leads: Backoff (restart), Exited, or GivenUp once the type's <c>max_restarts</c> restarts in
    /// a row did not help. The type's <c>availability</c> wins over <c>--restart</c>; <c>--stop-on-exit</c> over both.
    /// </summary>
    private InstanceState AfterExit(Instance instance, ExitStatus status)
    {
        var availability = instance.Settings.Availability;
        // While the formation stops (in order, this one's turn not yet come), nothing is restarted.
        if (ShuttingDown || _options.StopAllOnExit || availability.ExitOnFailure)
        {
            return InstanceState.Exited;
        }
        bool restart = (availability.Restart ?? _options.Restart) switch
        {
            // A one-shot type that others wait for to complete successfully is done once it has.
            RestartPolicy.Always => !(status.Success && IsOneShot(instance)),
            RestartPolicy.OnFailure => !status.Success,
            _ => false,
        };
        if (!restart)
        {
            return InstanceState.Exited;
        }
        return availability.MaxRestarts is int max && instance.AutomaticRestarts >= max ? InstanceState.GivenUp : InstanceState.Backoff;
    }

    /// <summary>What follows an exit that is not restarted: a note when given up, and the formation's end when asked for.</summary>
    private void AfterFinalExit(Instance instance, ExitStatus status)
    {
        if (instance.State == InstanceState.GivenUp)
        {
            Notify($"{instance.Name} given up after {instance.AutomaticRestarts} restart{(instance.AutomaticRestarts == 1 ? "" : "s")} (max_restarts); `drover restart {instance.Name}` starts it again");
            return;
        }
        if (instance.Settings.Availability.ExitOnFailure && !status.Success && !_options.StopAllOnExit)
        {
            Notify($"{instance.Name} failed and its type has restart: exit_on_failure: stopping the formation");
            _exitCode ??= status.ShellCode;
            BeginShutdown(ShutdownMode.Graceful);
            return;
        }
        StopAllIfForeman(status);
    }

    /// <summary>Foreman's behaviour: the first exit stops the whole formation, and Drover exits with its code.</summary>
    private void StopAllIfForeman(ExitStatus status)
    {
        if (_options.StopAllOnExit)
        {
            _exitCode ??= status.ShellCode;
            BeginShutdown(ShutdownMode.Graceful);
        }
    }

    private void ScheduleRestart(Instance instance, TimeSpan delay)
    {
        int generation = instance.Generation;
        Publish(new RestartScheduled(_time.GetUtcNow(), instance.Name.ToString(), delay, instance.Backoff.Consecutive));
        if (delay <= TimeSpan.Zero)
        {
            Post(new SupervisorEvent.RestartDue(instance, generation));
            return;
        }
        instance.RestartTimer = _time.CreateTimer(
            _ => Post(new SupervisorEvent.RestartDue(instance, generation)), null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>SIGKILL for <paramref name="group"/> once <paramref name="timeout"/> has passed, unless it is gone by then.</summary>
    private void ArmGroupDeadline(ProcessGroup group, TimeSpan timeout) =>
        group.Owner.ArmDeadline(group, _time, timeout, g => Post(new SupervisorEvent.GroupDeadline(g)));

    /// <summary>
    /// A process that fails while something else listens on its PORT most likely could not bind it. Said once
    /// per instance while the port stays taken, so a crash loop does not repeat it at every restart.
    /// </summary>
    private void ReportTakenPort(Instance instance)
    {
        if (_options.PortOwners is not { } owners || instance.Spec.Port is not int port)
        {
            return;
        }
        if (!owners.IsListening(port))
        {
            instance.TakenPortReported = false;
            return;
        }
        if (!instance.TakenPortReported)
        {
            instance.TakenPortReported = true;
            Notify($"{instance.Name}: its port {port} is already in use by {owners.DescribeListener(port)}; it will keep failing until the port is free (restarts continue with backoff)");
        }
    }
}
