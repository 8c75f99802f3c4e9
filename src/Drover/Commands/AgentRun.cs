using System.Runtime.InteropServices;
using Drover.Cluster.Agent;
using Drover.Cluster.Store;
using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Posix;

namespace Drover.Cli.Commands;

/// <summary>
/// What a running `drover agent` is made of: the same output writer, launcher, orphan guard and supervisor as
/// `drover start`, with a cluster agent deciding which slots run instead of a fixed formation.
/// </summary>
internal sealed class AgentRun(
    IClusterStore store,
    InstanceFactory factory,
    SupervisorOptions options,
    AgentOptions agentOptions,
    PrefixFormatter formatter)
{
    public async Task<int> RunAsync()
    {
        await using var output = new OutputHub(Console.OpenStandardOutput(), formatter, new LogBook(0));
        string? subreaperError = Subreaper.TryEnable();
        if (subreaperError is not null)
        {
            output.System($"warning: {subreaperError}; grandchildren that outlive their parent are not tracked");
        }
        // If the agent is killed, the guard takes its processes down: a dead agent's slots move elsewhere once
        // its lease expires, and nothing of it may still run then.
        var (guard, guardProblem) = OrphanGuard.Start();
        using var guardScope = guard;
        if (guardProblem is not null)
        {
            output.System($"warning: cannot start the orphan guard ({guardProblem}); if the agent is killed, its processes will survive it");
        }
        using var launcher = new PosixProcessLauncher(reapOrphans: subreaperError is null, guard);
        var supervisor = new Supervisor([], launcher, output, options with { KeepRunningWhenIdle = true }, TimeProvider.System);
        using var slots = new SupervisorSlots(supervisor, factory);
        var agent = new ClusterAgent(store, slots, agentOptions, output.System, TimeProvider.System);

        using var leave = new CancellationTokenSource();
        int signals = 0;
        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            if (Interlocked.Increment(ref signals) == 1)
            {
                output.System("leaving the cluster: stopping every process, then giving the slots up");
                leave.Cancel();
            }
            else
            {
                supervisor.RequestShutdown();
                supervisor.RequestShutdown();
            }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

        var supervising = supervisor.RunAsync();
        int code = ExitCodes.Ok;
        try
        {
            await agent.RunAsync(leave.Token);
        }
        catch (ClusterUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"drover: cannot join the cluster: {e.Message}");
            code = ExitCodes.Failure;
        }
        supervisor.RequestShutdown();
        await supervising;
        return code;
    }
}
