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
            case InstanceChanged { Reason: ChangeReason.StopRequested, To: InstanceState.Stopping, Instance: var i }:
                output.System($"stopping {i.Name}: sending SIGTERM to process group {i.Pid}");
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
