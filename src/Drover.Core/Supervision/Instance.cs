using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Probes;
using Drover.Core.Settings;

namespace Drover.Core.Supervision;

/// <summary>
/// One process instance (<c>web.2</c>) and its explicit state machine, with the process groups it holds until
/// nothing of them is left (<see cref="Groups"/>). Owned by the supervisor's event loop: nothing else reads or
/// changes it, so it needs no locks.
/// </summary>
public sealed partial class Instance
{
    /// <summary>Creates a pending instance.</summary>
    public Instance(InstanceName name, ProcessSpec spec, OutputSource output, BackoffOptions backoff)
    {
        Name = name;
        Spec = spec;
        Output = output;
        Backoff = new RestartBackoff(backoff);
    }

    /// <summary>The instance's name, e.g. <c>web.2</c>.</summary>
    public InstanceName Name { get; }

    /// <summary>What it runs.</summary>
    public ProcessSpec Spec { get; }

    /// <summary>Its output prefix.</summary>
    public OutputSource Output { get; }

    /// <summary>Its type's settings from the settings file (defaults when there is none).</summary>
    public TypeSettings Settings { get => _settings; init => _settings = value; }

    private TypeSettings _settings = TypeSettings.Default("");

    /// <summary>Its restart delay policy.</summary>
    public RestartBackoff Backoff { get; private set; }

    /// <summary>The current state.</summary>
    public InstanceState State { get; private set; } = InstanceState.Pending;

    /// <summary>The current process, while it runs or is stopping.</summary>
    public IRunningProcess? Process { get; private set; }

    /// <summary>Bumped at every start, so events from an earlier process are recognised as stale.</summary>
    public int Generation { get; private set; }

    /// <summary>When the current process started.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>How many times it was restarted after an exit.</summary>
    public int Restarts { get; private set; }

    /// <summary>Restarts in a row by the restart policy, since the last start by hand (or the first start); what
    /// <c>max_restarts</c> counts.</summary>
    public int AutomaticRestarts { get; private set; }

    /// <summary>How its last process ended.</summary>
    public ExitStatus? LastExit { get; private set; }

    /// <summary>Why the last start failed, while it keeps failing the same way (not repeated in the output).</summary>
    internal string? StartFailure { get; set; }

    /// <summary>Whether the user was told that another process holds this instance's PORT (said once).</summary>
    internal bool TakenPortReported { get; set; }

    /// <summary>The pending restart timer while in <see cref="InstanceState.Backoff"/>.</summary>
    internal ITimer? RestartTimer { get; set; }

    /// <summary>The types it still waits for while <see cref="InstanceState.Waiting"/> (empty otherwise).</summary>
    public IReadOnlyList<string> WaitingFor { get; internal set; } = [];

    /// <summary>While waiting: why a dependency can never be met as things are (e.g. it exited 1 and is not
    /// restarted); null while it may still be met.</summary>
    public string? Blocked { get; internal set; }

    /// <summary>The last thing worth telling about it that its state does not say (a liveness restart, a
    /// dependency that cannot be met), for ps; null when nothing.</summary>
    public string? Note { get; internal set; }

    /// <summary>Whether its type has a readiness probe or a ready log line (else it is ready once running).</summary>
    public bool HasReadinessCheck => Settings.Readiness is not null || Settings.ReadyLogLine is not null;

    /// <summary>The readiness probe's thresholds for the current process; null without a readiness probe.</summary>
    internal ProbeCounter? ReadinessCounter { get; set; }

    /// <summary>The liveness probe's thresholds for the current process; null without a liveness probe.</summary>
    internal ProbeCounter? LivenessCounter { get; set; }

    /// <summary>True once the current process printed its type's ready log line.</summary>
    public bool LogReady { get; internal set; }

    /// <summary>Ready for work: running, its readiness probe passing and its ready log line seen (each when it has one).</summary>
    public bool Ready => State == InstanceState.Running
        && (Settings.Readiness is null || ReadinessCounter?.Passing == true)
        && (Settings.ReadyLogLine is null || LogReady);

    /// <summary>Healthy by its liveness probe while running: null without a liveness probe or when not running.</summary>
    public bool? Healthy => Settings.Liveness is null || State != InstanceState.Running ? null : LivenessCounter?.Passing != false;

    /// <summary>The probe schedules of the current process, ended when it exits or is asked to stop.</summary>
    internal List<ProbeSchedule> Probes { get; } = [];

    /// <summary>Being stopped to be started again (its liveness probe failed): its exit leads to a restart.</summary>
    internal bool RestartWhenStopped { get; set; }

    /// <summary>Ends the current process's probes.</summary>
    internal void StopProbes()
    {
        foreach (var probe in Probes)
        {
            probe.Dispose();
        }
        Probes.Clear();
    }

    /// <summary>True in the states from which nothing happens without a request.</summary>
    public bool IsTerminal => State is InstanceState.Stopped or InstanceState.Exited or InstanceState.GivenUp;

    /// <summary>The current process's id, while it runs or is stopping (known before <see cref="Process"/> is).</summary>
    public int? Pid { get; private set; }

    /// <summary>Running: <paramref name="process"/> was started at <paramref name="now"/>.</summary>
    public void Started(IRunningProcess process, DateTimeOffset now)
    {
        Started(process.Pid, now);
        Attach(process);
    }

    /// <summary>
    /// Running: the process <paramref name="pid"/> was spawned at <paramref name="now"/>; the launcher hands over
    /// its <see cref="IRunningProcess"/> just after (<see cref="Attach"/>).
    /// </summary>
    public void Started(int pid, DateTimeOffset now)
    {
        var from = Move(Transition.Start, InstanceState.Running);
        if (from is InstanceState.Backoff or InstanceState.Exited)
        {
            Restarts++;
        }
        AutomaticRestarts = from == InstanceState.Backoff ? AutomaticRestarts + 1 : 0;
        Pid = pid;
        Generation++;
        StartedAt = now;
        WaitingFor = [];
        Blocked = null;
        LogReady = false;
        ReadinessCounter = Settings.Readiness is { } r ? new ProbeCounter(r) : null;
        LivenessCounter = Settings.Liveness is { } l ? new ProbeCounter(l) : null;
    }

    /// <summary>Waiting: not started until <paramref name="types"/> meet the conditions it depends on.</summary>
    public void Waits(IReadOnlyList<string> types)
    {
        Move(Transition.Wait, InstanceState.Waiting);
        WaitingFor = types;
    }

    /// <summary>The spawned process of a <see cref="Started(int, DateTimeOffset)"/> instance.</summary>
    public void Attach(IRunningProcess process)
    {
        if (State != InstanceState.Running || Pid != process.Pid || Process is not null)
        {
            throw new InvalidOperationException($"{Name}: process {process.Pid} attached while {State} with pid {Pid}");
        }
        Process = process;
        Lead(process);
    }

    /// <summary>
    /// The start failed (the process never ran); it counts as an exit with <paramref name="status"/>, and
    /// <paramref name="next"/> is Backoff (another try follows), Exited or GivenUp.
    /// </summary>
    public void StartFailed(ExitStatus status, InstanceState next = InstanceState.Backoff)
    {
        var from = Move(Transition.StartFailed, next);
        if (from != InstanceState.Pending)
        {
            Restarts++;
        }
        AutomaticRestarts = from == InstanceState.Backoff ? AutomaticRestarts + 1 : 0;
        Generation++;
        LastExit = status;
    }

    /// <summary>
    /// Records how the process ended and moves to <paramref name="next"/>: Backoff or Exited from Running,
    /// Stopped from Stopping. Its group is <see cref="GroupState.Lingering"/> after this until seen empty (gone
    /// at once when it was seen empty first).
    /// </summary>
    public void ProcessExited(ExitStatus status, InstanceState next)
    {
        Move(Transition.ProcessExited, next);
        LastExit = status;
        Process = null;
        Pid = null;
        LeaderExited();
    }

    /// <summary>Stopping: SIGTERM was sent to the running process.</summary>
    public void Stopping() => Move(Transition.Stop, InstanceState.Stopping);

    /// <summary>Stopped without a process (it was pending or waiting to restart).</summary>
    public void StoppedIdle()
    {
        Move(Transition.StopIdle, InstanceState.Stopped);
        WaitingFor = [];
        Blocked = null;
        RestartTimer?.Dispose();
        RestartTimer = null;
    }

    private enum Transition
    {
        Start,
        StartFailed,
        ProcessExited,
        Stop,
        StopIdle,
        Wait,
    }

    // States without a process, from which one may be started.
    private static readonly InstanceState[] Idle =
        [InstanceState.Pending, InstanceState.Backoff, InstanceState.Stopped, InstanceState.Exited, InstanceState.GivenUp];

    // Every legal move, in one table: for each method, the (from, to) pairs it may make. Anything else throws.
    private static readonly Dictionary<Transition, (InstanceState From, InstanceState To)[]> Legal = new()
    {
        [Transition.Start] = [.. Idle.Append(InstanceState.Waiting).Select(from => (from, InstanceState.Running))],
        [Transition.StartFailed] = [.. Idle.SelectMany(from => new[] { (from, InstanceState.Backoff), (from, InstanceState.Exited), (from, InstanceState.GivenUp) })],
        [Transition.ProcessExited] =
        [
            (InstanceState.Running, InstanceState.Backoff),
            (InstanceState.Running, InstanceState.Exited),
            (InstanceState.Running, InstanceState.GivenUp),
            (InstanceState.Stopping, InstanceState.Stopped),
            // Stopped to be started again (its liveness probe failed).
            (InstanceState.Stopping, InstanceState.Backoff),
        ],
        [Transition.Stop] = [(InstanceState.Running, InstanceState.Stopping)],
        [Transition.StopIdle] =
        [
            (InstanceState.Pending, InstanceState.Stopped),
            (InstanceState.Backoff, InstanceState.Stopped),
            (InstanceState.Waiting, InstanceState.Stopped),
        ],
        [Transition.Wait] =
        [
            (InstanceState.Pending, InstanceState.Waiting),
            (InstanceState.Stopped, InstanceState.Waiting),
            (InstanceState.Exited, InstanceState.Waiting),
            (InstanceState.GivenUp, InstanceState.Waiting),
        ],
    };

    private enum GroupMove
    {
        LeaderExited,
        Emptied,
    }

    // Every legal move of one of its process groups (Instance.Groups.cs): a group outlives its leader's exit while
    // processes it started remain, and may be seen empty before that exit is handled (its last output still read).
    private static readonly Dictionary<GroupMove, (GroupState From, GroupState To)[]> GroupLegal = new()
    {
        [GroupMove.LeaderExited] =
        [
            (GroupState.Leading, GroupState.Lingering),
            (GroupState.Emptied, GroupState.Gone),
        ],
        [GroupMove.Emptied] =
        [
            (GroupState.Leading, GroupState.Emptied),
            (GroupState.Lingering, GroupState.Gone),
            (GroupState.StopCommand, GroupState.Gone),
        ],
    };

    /// <summary>Moves to <paramref name="next"/> when the table allows it; nothing changes when it is refused.</summary>
    private InstanceState Move(Transition transition, InstanceState next)
    {
        if (!Legal[transition].Contains((State, next)))
        {
            throw new InvalidOperationException($"{Name}: illegal transition {State} -> {next}");
        }
        var previous = State;
        State = next;
        return previous;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({State})";

    /// <summary>
    /// A reload's new settings that need no new process (restart policy, backoff, shutdown, dependencies), taken
    /// from <paramref name="fresh"/>, the instance the reloaded files would make; the backoff starts afresh only
    /// when the availability changed.
    /// </summary>
    internal void TakeSettingsOf(Instance fresh)
    {
        if (fresh.Settings.Availability != _settings.Availability)
        {
            Backoff = fresh.Backoff;
        }
        _settings = fresh.Settings;
    }
}
