using System.Threading.Channels;
using Drover.Core.Output;

namespace Drover.Core.Supervision;

/// <summary>
/// Runs a formation: starts every instance, restarts crashed ones with backoff, lets a controller stop, start
/// and replace instances, and shuts everything down on request (SIGTERM to every group at once, SIGKILL after
/// the timeout). All state is owned by one event loop; process exits, timers and requests arrive as
/// <see cref="SupervisorEvent"/>s. Split by concern: Lifecycle (starts, exits, restarts), Shutdown, Control.
/// </summary>
public sealed partial class Supervisor
{
    private readonly Channel<SupervisorEvent> _events =
        Channel.CreateUnbounded<SupervisorEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IProcessLauncher _launcher;
    private readonly OutputHub _output;
    private readonly SupervisorOptions _options;
    private readonly TimeProvider _time;

    // Owned by the event loop.
    private readonly List<Instance> _instances;
    private readonly Dictionary<IRunningProcess, Instance> _liveGroups = [];
    private readonly Dictionary<IRunningProcess, ITimer> _groupTimers = [];
    private bool _shuttingDown;
    private int? _exitCode;
    private ITimer? _killTimer;
    private bool _done;
    private Task? _strays;
    private bool _straysGone;

    /// <summary>Creates a supervisor for <paramref name="instances"/>; nothing starts before <see cref="RunAsync"/>.</summary>
    public Supervisor(
        IReadOnlyList<Instance> instances,
        IProcessLauncher launcher,
        OutputHub output,
        SupervisorOptions options,
        TimeProvider time)
    {
        _instances = [.. instances];
        _launcher = launcher;
        _output = output;
        _options = options;
        _time = time;
    }

    /// <summary>The instances, for inspection; read them only after <see cref="RunAsync"/> completes.</summary>
    public IReadOnlyList<Instance> Instances => _instances;

    /// <summary>The stop timeout (SIGTERM to SIGKILL).</summary>
    public TimeSpan StopTimeout => _options.StopTimeout;

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
        foreach (var timer in _groupTimers.Values)
        {
            timer.Dispose();
        }
        FailPendingRequests();
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
                // One burst: the "started" lines go out together, and only then is any new pipe read, so each
                // process's lines still follow its "started" line (the output hub is released first).
                using (_launcher.BeginBurst())
                using (_output.Hold())
                {
                    foreach (var instance in _instances)
                    {
                        Start(instance);
                    }
                }
                break;
            case SupervisorEvent.ProcessExited x:
                OnExited(x.Instance, x.Status);
                break;
            case SupervisorEvent.GroupGone g:
                _liveGroups.Remove(g.Process);
                if (_groupTimers.Remove(g.Process, out var t))
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
            case SupervisorEvent.GroupDeadline d when _liveGroups.TryGetValue(d.Process, out var owner):
                if (d.Process.SignalGroup(Signals.Kill))
                {
                    _output.System($"stop timeout of {Seconds(_options.StopTimeout)} reached: sending SIGKILL to {owner.Name} (process group {d.Process.Pid})");
                }
                break;
            case SupervisorEvent.Invoke invoke:
                invoke.Action();
                break;
            case SupervisorEvent.StraysGone:
                _straysGone = true;
                break;
        }
        CompleteStopWaiters();
        CheckDone();
    }

    private void CheckDone()
    {
        if (_done || _liveGroups.Count > 0)
        {
            return;
        }
        if (_shuttingDown)
        {
            if (!_instances.All(i => i.IsTerminal) || !StraysStopped())
            {
                return;
            }
            _output.System("all processes stopped");
        }
        else
        {
            // Drover ends by itself only when every process finished on its own; instances stopped through the
            // control API may be started again, so they keep it running.
            if (_options.KeepRunningWhenIdle || _instances.Count == 0 || !_instances.All(i => i.State == InstanceState.Exited))
            {
                return;
            }
            _exitCode = _instances.All(i => i.LastExit?.Success == true) ? 0 : 1;
            _output.System("all processes finished");
        }
        _done = true;
        _events.Writer.TryComplete();
    }

    /// <summary>
    /// True once processes that escaped their groups (and were re-parented to Drover) are gone too; starts
    /// stopping them the first time it is asked.
    /// </summary>
    private bool StraysStopped()
    {
        if (_launcher is not IStrayProcesses strays || _straysGone)
        {
            return true;
        }
        _strays ??= strays.StopStraysAsync(_options.StopTimeout, _output.System)
            .ContinueWith(_ => Post(new SupervisorEvent.StraysGone()), TaskScheduler.Default);
        return false;
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.###} s";
}
