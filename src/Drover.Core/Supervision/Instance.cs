using Drover.Core.Formation;
using Drover.Core.Output;

namespace Drover.Core.Supervision;

/// <summary>
/// One process instance (<c>web.2</c>) and its explicit state machine. Owned by the supervisor's event loop:
/// nothing else reads or changes it, so it needs no locks.
/// </summary>
public sealed class Instance
{
    private static readonly Dictionary<InstanceState, InstanceState[]> Allowed = new()
    {
        [InstanceState.Pending] = [InstanceState.Running, InstanceState.Backoff, InstanceState.Stopped],
        [InstanceState.Running] = [InstanceState.Backoff, InstanceState.Exited, InstanceState.Stopping],
        [InstanceState.Backoff] = [InstanceState.Running, InstanceState.Backoff, InstanceState.Stopped],
        [InstanceState.Stopping] = [InstanceState.Stopped],
        [InstanceState.Stopped] = [InstanceState.Running, InstanceState.Backoff],
        [InstanceState.Exited] = [InstanceState.Running, InstanceState.Backoff],
    };

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

    /// <summary>The pending restart timer while in <see cref="InstanceState.Backoff"/>.</summary>
    internal ITimer? RestartTimer { get; set; }

    /// <summary>True in the states from which nothing happens without a request.</summary>
    public bool IsTerminal => State is InstanceState.Stopped or InstanceState.Exited;

    /// <summary>Running: <paramref name="process"/> was started at <paramref name="now"/>.</summary>
    public void Started(IRunningProcess process, DateTimeOffset now)
    {
        if (State is InstanceState.Backoff or InstanceState.Exited)
        {
            Restarts++;
        }
        Move(InstanceState.Running);
        Process = process;
        Generation++;
        StartedAt = now;
    }

    /// <summary>Backoff: the start failed; another try follows.</summary>
    public void StartFailed()
    {
        if (State != InstanceState.Pending)
        {
            Restarts++;
        }
        Move(InstanceState.Backoff);
        Generation++;
        LastExit = null;
    }

    /// <summary>Records how the process ended and moves to <paramref name="next"/> (Backoff, Exited or Stopped).</summary>
    public void ProcessExited(ExitStatus status, InstanceState next)
    {
        Move(next);
        LastExit = status;
        Process = null;
    }

    /// <summary>Stopping: SIGTERM was sent to the running process.</summary>
    public void Stopping() => Move(InstanceState.Stopping);

    /// <summary>Stopped without a process (it was pending or waiting to restart).</summary>
    public void StoppedIdle()
    {
        RestartTimer?.Dispose();
        RestartTimer = null;
        Move(InstanceState.Stopped);
    }

    private void Move(InstanceState next)
    {
        if (!Allowed[State].Contains(next))
        {
            throw new InvalidOperationException($"{Name}: illegal transition {State} -> {next}");
        }
        State = next;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({State})";
}
