using System.Threading.Channels;
using Drover.Core.Output;
using Drover.Core.Supervision.Events;

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
    private readonly ChangeBroadcaster _changes = new();
    private readonly SystemLines _systemLines;

    // Owned by the event loop.
    private readonly List<Instance> _instances;
    private int? _exitCode;
    private long _published;

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
        _systemLines = new SystemLines(output);
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
            if (_phase == FormationPhase.Done)
            {
                break;
            }
        }
        _killTimer?.Dispose();
        // Requests queued behind the end are answered (with "the formation has stopped"), never left waiting.
        while (_events.Reader.TryRead(out var late))
        {
            if (late is SupervisorEvent.Invoke invoke)
            {
                invoke.Action();
            }
        }
        FailPendingRequests();
        _changes.Close();
        return _exitCode ?? 0;
    }

    /// <summary>
    /// Asks for a shutdown. <see cref="ShutdownMode.Graceful"/>: SIGTERM to every group, SIGKILL after the stop
    /// timeout, and a second graceful request kills at once (the second Ctrl-C). Thread-safe.
    /// </summary>
    public void RequestShutdown(ShutdownMode mode = ShutdownMode.Graceful) => Post(new SupervisorEvent.ShutdownRequested(mode));

    /// <summary>
    /// The formation's state now and every change from then on, with nothing missed in between (see
    /// <see cref="ChangeSubscription"/>). At most <paramref name="capacity"/> changes wait for the subscriber;
    /// beyond that it is dropped. Throws <see cref="ControlException"/> when the formation is over.
    /// </summary>
    public Task<ChangeSubscription> SubscribeAsync(int capacity = 4096) => OnLoop(() =>
    {
        var subscription = new ChangeSubscription(_changes, [.. _instances.Select(InstanceSnapshot.Of)], _phase, _published, capacity);
        _changes.Add(subscription);
        return subscription;
    });

    /// <summary>How many changes have been published so far: a subscriber that has seen as many is up to date.</summary>
    internal Task<long> PublishedAsync() => OnLoop(() => _published);

    /// <summary>Publishes <paramref name="change"/>: the system lines first (in order with the output), then the subscribers.</summary>
    private void Publish(SupervisorChange change)
    {
        _published++;
        _systemLines.Show(change);
        _changes.Publish(change);
    }

    private void Changed(Instance instance, InstanceState from, ChangeReason reason) =>
        Publish(new InstanceChanged(_time.GetUtcNow(), InstanceSnapshot.Of(instance), from, reason));

    private void Notify(string message) => Publish(new Notice(_time.GetUtcNow(), message));

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
                        StartOrWait(instance);
                    }
                }
                break;
            case SupervisorEvent.ProcessExited x:
                OnExited(x.Instance, x.Status);
                break;
            case SupervisorEvent.GroupGone g:
                g.Group.Owner.GroupEmptied(g.Group);
                break;
            case SupervisorEvent.RestartDue r when r.Instance.Generation == r.Generation && r.Instance.State == InstanceState.Backoff:
                r.Instance.RestartTimer?.Dispose();
                r.Instance.RestartTimer = null;
                Start(r.Instance);
                break;
            case SupervisorEvent.ShutdownRequested s:
                BeginShutdown(s.Mode);
                break;
            case SupervisorEvent.KillDeadline when _phase == FormationPhase.Terminating:
                KillAll($"stop timeout of {Seconds(_options.StopTimeout)} reached");
                break;
            case SupervisorEvent.GroupDeadline d when d.Group.IsAlive:
                if (d.Group.Process.Kill())
                {
                    var owner = d.Group.Owner;
                    Notify($"stop timeout of {Seconds(StopTimeoutOf(owner))} reached: sending SIGKILL to {owner.Name} (process group {d.Group.Process.Pid})");
                }
                break;
            case SupervisorEvent.ProbeChecked p:
                OnProbeChecked(p);
                break;
            case SupervisorEvent.ReadyLineSeen r:
                OnReadyLineSeen(r);
                break;
            case SupervisorEvent.Invoke invoke:
                invoke.Action();
                break;
            case SupervisorEvent.StraysGone:
                _straysGone = true;
                break;
        }
        ReleaseWaiting();
        AdvanceShutdown();
        CheckDone();
    }

    private void CheckDone()
    {
        if (_phase == FormationPhase.Done || _instances.Any(i => i.HasLiveGroups))
        {
            return;
        }
        if (_phase != FormationPhase.Running)
        {
            if (_instances.All(i => i.IsTerminal) && StraysStopped())
            {
                MoveTo(FormationPhase.Done, "all processes stopped");
            }
            return;
        }
        // Drover ends by itself only when every process finished on its own; instances stopped through the
        // control API may be started again, so they keep it running.
        // An instance waiting for a dependency that can never be met is finished too (it is in the output and ps).
        if (_options.KeepRunningWhenIdle || _instances.Count == 0
            || !_instances.All(i => i.State == InstanceState.Exited || (i.State == InstanceState.Waiting && i.Blocked is not null)))
        {
            return;
        }
        _exitCode = _instances.All(i => i.State == InstanceState.Exited && i.LastExit?.Success == true) ? 0 : 1;
        MoveTo(FormationPhase.Done, "all processes finished");
    }

    /// <summary>
    /// True once processes that escaped their groups (and were re-parented to Drover) are gone too; the first
    /// time it is asked, moves to <see cref="FormationPhase.ReapingStrays"/> and starts stopping them.
    /// </summary>
    private bool StraysStopped()
    {
        if (_launcher is not IStrayProcesses strays || _straysGone)
        {
            return true;
        }
        if (_phase != FormationPhase.ReapingStrays)
        {
            MoveTo(FormationPhase.ReapingStrays, "every process group is gone");
            strays.StopStraysAsync(_options.StopTimeout, message => Post(new SupervisorEvent.Invoke(() => Notify(message))))
                .ContinueWith(_ => Post(new SupervisorEvent.StraysGone()), TaskScheduler.Default);
        }
        return false;
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.###} s";
}
