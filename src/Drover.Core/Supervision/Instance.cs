using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Settings;

namespace Drover.Core.Supervision;

/// <summary>
/// One process instance (<c>web.2</c>) and its explicit state machine. Owned by the supervisor's event loop:
/// nothing else reads or changes it, so it needs no locks.
/// </summary>
public sealed class Instance
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
    public TypeSettings Settings { get; init; } = TypeSettings.Default("");

    /// <summary>Its restart delay policy.</summary>
    public RestartBackoff Backoff { get; }

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
    }

    /// <summary>The spawned process of a <see cref="Started(int, DateTimeOffset)"/> instance.</summary>
    public void Attach(IRunningProcess process)
    {
        if (State != InstanceState.Running || Pid != process.Pid || Process is not null)
        {
            throw new InvalidOperationException($"{Name}: process {process.Pid} attached while {State} with pid {Pid}");
        }
        Process = process;
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
    /// Stopped from Stopping.
    /// </summary>
    public void ProcessExited(ExitStatus status, InstanceState next)
    {
        Move(Transition.ProcessExited, next);
        LastExit = status;
        Process = null;
        Pid = null;
    }

    /// <summary>Stopping: SIGTERM was sent to the running process.</summary>
    public void Stopping() => Move(Transition.Stop, InstanceState.Stopping);

    /// <summary>Stopped without a process (it was pending or waiting to restart).</summary>
    public void StoppedIdle()
    {
        Move(Transition.StopIdle, InstanceState.Stopped);
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
    }

    // States without a process, from which one may be started.
    private static readonly InstanceState[] Idle =
        [InstanceState.Pending, InstanceState.Backoff, InstanceState.Stopped, InstanceState.Exited, InstanceState.GivenUp];

    // Every legal move, in one table: for each method, the (from, to) pairs it may make. Anything else throws.
    private static readonly Dictionary<Transition, (InstanceState From, InstanceState To)[]> Legal = new()
    {
        [Transition.Start] = [.. Idle.Select(from => (from, InstanceState.Running))],
        [Transition.StartFailed] = [.. Idle.SelectMany(from => new[] { (from, InstanceState.Backoff), (from, InstanceState.Exited), (from, InstanceState.GivenUp) })],
        [Transition.ProcessExited] =
        [
            (InstanceState.Running, InstanceState.Backoff),
            (InstanceState.Running, InstanceState.Exited),
            (InstanceState.Running, InstanceState.GivenUp),
            (InstanceState.Stopping, InstanceState.Stopped),
        ],
        [Transition.Stop] = [(InstanceState.Running, InstanceState.Stopping)],
        [Transition.StopIdle] = [(InstanceState.Pending, InstanceState.Stopped), (InstanceState.Backoff, InstanceState.Stopped)],
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
}
