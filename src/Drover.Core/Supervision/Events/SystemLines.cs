using Drover.Core.Output;

namespace Drover.Core.Supervision.Events;

/// <summary>
/// Renders changes as Drover's <c>system</c> lines. It observes on the supervisor's loop itself, not through a
/// queue, because its lines must keep their order with the processes' own output ("started" before a process's
/// first line, "exited" after its last).
/// </summary>
internal sealed class SystemLines(OutputHub output)
{
    public void Show(SupervisorChange change)
    {
        switch (change)
        {
            case InstanceChanged { Reason: ChangeReason.Started, Instance: var i }:
                output.System($"{i.Name} started with pid {i.Pid}{(i.Port is int port ? $" on port {port}" : "")}");
                break;
            case InstanceChanged { Reason: ChangeReason.Exited, Instance: var i }:
                output.System($"{i.Name} {i.LastExit}");
                break;
            case InstanceChanged { Reason: ChangeReason.Waiting, Instance: var i }:
                output.System(i.Blocked is string blocked
                    ? $"{i.Name} cannot start: {blocked}"
                    : $"{i.Name} waiting for {string.Join(", ", i.WaitingFor)}");
                break;
            case InstanceChanged { Reason: ChangeReason.Ready, Instance: var i }:
                output.System($"{i.Name} is ready");
                break;
            case InstanceChanged { Reason: ChangeReason.Unready, Instance: var i }:
                output.System($"{i.Name} is not ready: {i.Note}");
                break;
            case InstanceChanged { Reason: ChangeReason.LivenessFailed, Instance: var i }:
                output.System($"{i.Name} {i.Note}; restarting");
                break;
            case RestartScheduled r:
                output.System(r.Delay <= TimeSpan.Zero
                    ? $"{r.Name} restarting now"
                    : $"{r.Name} restarting in {(long)r.Delay.TotalMilliseconds} ms (attempt {r.Attempt})");
                break;
            case PhaseChanged { To: FormationPhase.Done } p:
                output.System(p.Reason);
                break;
            case Notice n:
                output.System(n.Message);
                break;
        }
    }
}
