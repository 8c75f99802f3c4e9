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
        await using var output = new OutputHub(StandardStreams.Output(), formatter, new LogBook(0));
        // If the agent is killed, its processes go with it: a dead agent's slots move elsewhere once its lease
        // expires, and nothing of it may still run then.
        using var host = ProcessHost.Start(output, "the agent");
        var supervisor = new Supervisor([], host.Launcher, output, options with { KeepRunningWhenIdle = true }, TimeProvider.System);
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
                supervisor.RequestShutdown(ShutdownMode.KillNow);
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
