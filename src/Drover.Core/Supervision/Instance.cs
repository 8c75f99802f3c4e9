using Drover.Core.Formation;
using Drover.Core.Output;

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

    /// <summary>How its last process ended.</summary>
    public ExitStatus? LastExit { get; private set; }

    /// <summary>Why the last start failed, while it keeps failing the same way (not repeated in the output).</summary>
    internal string? StartFailure { get; set; }

    /// <summary>Whether the user was told that another process holds this instance's PORT (said once).</summary>
    internal bool TakenPortReported { get; set; }

    /// <summary>The pending restart timer while in <see cref="InstanceState.Backoff"/>.</summary>
    internal ITimer? RestartTimer { get; set; }

    /// <summary>True in the states from which nothing happens without a request.</summary>
    public bool IsTerminal => State is InstanceState.Stopped or InstanceState.Exited;

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
        var from = Move(InstanceState.Running, Idle);
        if (from is InstanceState.Backoff or InstanceState.Exited)
        {
            Restarts++;
        }
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
    /// <paramref name="next"/> is Backoff (another try follows) or Exited.
    /// </summary>
    public void StartFailed(ExitStatus status, InstanceState next = InstanceState.Backoff)
    {
        RequireOneOf(next, InstanceState.Backoff, InstanceState.Exited);
        var from = Move(next, Idle);
        if (from != InstanceState.Pending)
        {
            Restarts++;
        }
        Generation++;
        LastExit = status;
    }

    /// <summary>
    /// Records how the process ended and moves to <paramref name="next"/>: Backoff or Exited from Running,
    /// Stopped from Stopping.
    /// </summary>
    public void ProcessExited(ExitStatus status, InstanceState next)
    {
        RequireOneOf(next, InstanceState.Backoff, InstanceState.Exited, InstanceState.Stopped);
        Move(next, next == InstanceState.Stopped ? [InstanceState.Stopping] : [InstanceState.Running]);
        LastExit = status;
        Process = null;
        Pid = null;
    }

    /// <summary>Stopping: SIGTERM was sent to the running process.</summary>
    public void Stopping() => Move(InstanceState.Stopping, [InstanceState.Running]);

    /// <summary>Stopped without a process (it was pending or waiting to restart).</summary>
    public void StoppedIdle()
    {
        Move(InstanceState.Stopped, [InstanceState.Pending, InstanceState.Backoff]);
        RestartTimer?.Dispose();
        RestartTimer = null;
    }

    // States without a process, from which one may be started.
    private static readonly InstanceState[] Idle =
        [InstanceState.Pending, InstanceState.Backoff, InstanceState.Stopped, InstanceState.Exited];

    /// <summary>Each call is legal only from its own source states; nothing changes when it is refused.</summary>
    private InstanceState Move(InstanceState next, InstanceState[] from)
    {
        if (!from.Contains(State))
        {
            throw new InvalidOperationException($"{Name}: illegal transition {State} -> {next}");
        }
        var previous = State;
        State = next;
        return previous;
    }

    private void RequireOneOf(InstanceState next, params InstanceState[] allowed)
    {
        if (!allowed.Contains(next))
        {
            throw new InvalidOperationException($"{Name}: illegal transition {State} -> {next}");
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({State})";
}
