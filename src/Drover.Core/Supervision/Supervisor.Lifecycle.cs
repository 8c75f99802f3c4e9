using Drover.Core.Output;

namespace Drover.Core.Supervision;

/// <summary>Starting processes, noticing their exits, and restarting them with backoff.</summary>
public sealed partial class Supervisor
{
    // Owned by the event loop: the advice about system limits already given.
    private readonly HashSet<string> _limitsReported = [];

    private void Start(Instance instance)
    {
        IRunningProcess process;
        try
        {
            process = _launcher.Start(
                instance.Spec,
                new LineFramer(_output, instance.Output),
                pid => _output.System($"{instance.Name} started with pid {pid}{PortNote(instance)}"));
        }
        catch (LaunchException ex)
        {
            // Treated like the shell's "cannot execute" (127), under the same restart policy as any exit. The
            // same failure again (a limit still reached) is not repeated; what to do about a limit is said once.
            if (instance.StartFailure != ex.Message)
            {
                _output.System($"{instance.Name} failed to start: {ex.Message}");
                instance.StartFailure = ex.Message;
            }
            if (ex.LimitAdvice is string advice && _limitsReported.Add(advice))
            {
                _output.System($"warning: a system limit stops processes from starting: {advice}; the formation keeps running and failed starts are retried with backoff");
            }
            var status = ExitStatus.Exited(127);
            if (!ShouldRestart(status))
            {
                instance.StartFailed(status, InstanceState.Exited);
                StopAllIfForeman(status);
                return;
            }
            instance.StartFailed(status);
            ScheduleRestart(instance, instance.Backoff.Next(TimeSpan.Zero));
            return;
        }
        instance.Started(process, _time.GetUtcNow());
        instance.StartFailure = null;
        _liveGroups[process] = instance;
        int generation = instance.Generation;
        process.Exited.ContinueWith(
            t => Post(new SupervisorEvent.ProcessExited(instance, generation, t.Result)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        process.GroupGone.ContinueWith(
            _ => Post(new SupervisorEvent.GroupGone(process)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnExited(Instance instance, ExitStatus status)
    {
        var process = instance.Process!;
        _output.System($"{instance.Name} {status}");
        if (instance.State == InstanceState.Stopping)
        {
            instance.ProcessExited(status, InstanceState.Stopped);
            return;
        }

        // Whatever the leader left behind in its group must not outlive it unsupervised.
        if (process.SignalGroup(Signals.Term))
        {
            _output.System($"sending SIGTERM to what is left of {instance.Name}'s process group (pid {process.Pid})");
            ArmGroupDeadline(process);
        }

        if (!status.Success)
        {
            ReportTakenPort(instance);
        }

        if (!ShouldRestart(status))
        {
            instance.ProcessExited(status, InstanceState.Exited);
            StopAllIfForeman(status);
            return;
        }
        instance.ProcessExited(status, InstanceState.Backoff);
        ScheduleRestart(instance, instance.Backoff.Next(_time.GetUtcNow() - instance.StartedAt));
    }

    private bool ShouldRestart(ExitStatus status) => !_options.StopAllOnExit && _options.Restart switch
    {
        RestartPolicy.Always => true,
        RestartPolicy.OnFailure => !status.Success,
        _ => false,
    };

    /// <summary>Foreman's behaviour: the first exit stops the whole formation, and Drover exits with its code.</summary>
    private void StopAllIfForeman(ExitStatus status)
    {
        if (_options.StopAllOnExit)
        {
            _exitCode ??= status.ShellCode;
            BeginShutdown();
        }
    }

    private void ScheduleRestart(Instance instance, TimeSpan delay)
    {
        int generation = instance.Generation;
        if (delay <= TimeSpan.Zero)
        {
            _output.System($"{instance.Name} restarting now");
            Post(new SupervisorEvent.RestartDue(instance, generation));
            return;
        }
        _output.System($"{instance.Name} restarting in {(long)delay.TotalMilliseconds} ms (attempt {instance.Backoff.Consecutive})");
        instance.RestartTimer = _time.CreateTimer(
            _ => Post(new SupervisorEvent.RestartDue(instance, generation)), null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>SIGKILL for <paramref name="process"/>'s group once the stop timeout has passed, unless it is gone by then.</summary>
    private void ArmGroupDeadline(IRunningProcess process)
    {
        if (!_groupTimers.ContainsKey(process))
        {
            _groupTimers[process] = _time.CreateTimer(
                _ => Post(new SupervisorEvent.GroupDeadline(process)), null, _options.StopTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// A process that fails while something else listens on its PORT most likely could not bind it. Said once
    /// per instance while the port stays taken, so a crash loop does not repeat it at every restart.
    /// </summary>
    private void ReportTakenPort(Instance instance)
    {
        if (_options.PortOwners is not { } owners
            || !instance.Spec.Environment.TryGetValue("PORT", out var text)
            || !int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port))
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
            _output.System($"{instance.Name}: its port {port} is already in use by {owners.DescribeListener(port)}; it will keep failing until the port is free (restarts continue with backoff)");
        }
    }

    private static string PortNote(Instance instance) =>
        instance.Spec.Environment.TryGetValue("PORT", out var port) ? $" on port {port}" : "";
}
