using System.Threading.Channels;
using Drover.Core.Output;

namespace Drover.Core.Supervision;

/// <summary>
/// Runs a formation: starts every instance, restarts crashed ones with backoff, and shuts everything down on
/// request (SIGTERM to every group at once, SIGKILL after the timeout). All state is owned by one event loop;
/// process exits, timers and requests arrive as <see cref="SupervisorEvent"/>s.
/// </summary>
public sealed class Supervisor
{
    private readonly Channel<SupervisorEvent> _events =
        Channel.CreateUnbounded<SupervisorEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IReadOnlyList<Instance> _instances;
    private readonly IProcessLauncher _launcher;
    private readonly OutputHub _output;
    private readonly SupervisorOptions _options;
    private readonly TimeProvider _time;

    // Owned by the event loop.
    private readonly Dictionary<IRunningProcess, Instance> _liveGroups = [];
    private readonly Dictionary<IRunningProcess, ITimer> _leftoverTimers = [];
    private bool _shuttingDown;
    private int? _exitCode;
    private ITimer? _killTimer;
    private bool _done;

    /// <summary>Creates a supervisor for <paramref name="instances"/>; nothing starts before <see cref="RunAsync"/>.</summary>
    public Supervisor(
        IReadOnlyList<Instance> instances,
        IProcessLauncher launcher,
        OutputHub output,
        SupervisorOptions options,
        TimeProvider time)
    {
        _instances = instances;
        _launcher = launcher;
        _output = output;
        _options = options;
        _time = time;
    }

    /// <summary>The instances, for inspection; read them only after <see cref="RunAsync"/> completes.</summary>
    public IReadOnlyList<Instance> Instances => _instances;

    /// <summary>
    /// Starts the formation and runs until it is over: 0 after a requested shutdown or when every process
    /// finished cleanly; the exiting process's code in stop-all-on-exit mode; 1 when processes finished with errors.
    /// </summary>
    public async Task<int> RunAsync()
    {
        Post(new SupervisorEvent.StartAll());
        await foreach (var e in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Handle(e);
            if (_done)
            {
                break;
            }
        }
        _killTimer?.Dispose();
        return _exitCode ?? 0;
    }

    /// <summary>Asks for a graceful shutdown; a second call kills every process at once. Thread-safe.</summary>
    public void RequestShutdown() => Post(new SupervisorEvent.ShutdownRequested());

    private void Post(SupervisorEvent e) => _events.Writer.TryWrite(e);

    private void Handle(SupervisorEvent e)
    {
        switch (e)
        {
            case SupervisorEvent.StartAll:
                foreach (var instance in _instances)
                {
                    Start(instance);
                }
                break;
            case SupervisorEvent.ProcessExited x:
                OnExited(x.Instance, x.Status);
                break;
            case SupervisorEvent.GroupGone g:
                _liveGroups.Remove(g.Process);
                if (_leftoverTimers.Remove(g.Process, out var t))
                {
                    t.Dispose();
                }
                break;
            case SupervisorEvent.RestartDue r when r.Instance.Generation == r.Generation && r.Instance.State == InstanceState.Backoff:
                r.Instance.RestartTimer?.Dispose();
                r.Instance.RestartTimer = null;
                Start(r.Instance);
                break;
            case SupervisorEvent.ShutdownRequested:
                BeginShutdown();
                break;
            case SupervisorEvent.KillDeadline:
                KillAll($"stop timeout of {Seconds(_options.StopTimeout)} reached");
                break;
            case SupervisorEvent.LeftoversDeadline l when _liveGroups.TryGetValue(l.Process, out var owner):
                if (l.Process.SignalGroup(Signals.Kill))
                {
                    _output.System($"sending SIGKILL to what is left of {owner.Name}'s process group (pid {l.Process.Pid})");
                }
                break;
        }
        CheckDone();
    }

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
            _output.System($"{instance.Name} failed to start: {ex.Message}");
            instance.StartFailed();
            ScheduleRestart(instance, instance.Backoff.Next(TimeSpan.Zero));
            return;
        }
        instance.Started(process, _time.GetUtcNow());
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
            _leftoverTimers[process] = _time.CreateTimer(
                _ => Post(new SupervisorEvent.LeftoversDeadline(process)), null, _options.StopTimeout, Timeout.InfiniteTimeSpan);
        }

        if (_options.StopAllOnExit)
        {
            instance.ProcessExited(status, InstanceState.Exited);
            _exitCode ??= status.ShellCode;
            BeginShutdown();
            return;
        }

        bool restart = _options.Restart switch
        {
            RestartPolicy.Always => true,
            RestartPolicy.OnFailure => !status.Success,
            _ => false,
        };
        if (!restart)
        {
            instance.ProcessExited(status, InstanceState.Exited);
            return;
        }
        instance.ProcessExited(status, InstanceState.Backoff);
        ScheduleRestart(instance, instance.Backoff.Next(_time.GetUtcNow() - instance.StartedAt));
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
        _output.System($"{instance.Name} restarting in {Milliseconds(delay)} (attempt {instance.Backoff.Consecutive})");
        instance.RestartTimer = _time.CreateTimer(
            _ => Post(new SupervisorEvent.RestartDue(instance, generation)), null, delay, Timeout.InfiniteTimeSpan);
    }

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

    private void CheckDone()
    {
        if (_done || _liveGroups.Count > 0 || !_instances.All(i => i.IsTerminal))
        {
            return;
        }
        if (!_shuttingDown)
        {
            // Every process finished on its own.
            _exitCode = _instances.All(i => i.LastExit?.Success == true) ? 0 : 1;
        }
        _output.System(_shuttingDown ? "all processes stopped" : "all processes finished");
        _done = true;
        _events.Writer.TryComplete();
    }

    private static string PortNote(Instance instance) =>
        instance.Spec.Environment.TryGetValue("PORT", out var port) ? $" on port {port}" : "";

    private static string Milliseconds(TimeSpan t) => $"{(long)t.TotalMilliseconds} ms";

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.###} s";
}
