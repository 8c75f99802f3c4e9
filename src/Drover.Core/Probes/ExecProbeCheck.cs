using Drover.Core.Output;
using Drover.Core.Supervision;

namespace Drover.Core.Probes;

/// <summary>
/// Passes when a command exits 0 (<c>exec</c>). It is started through the process launcher, like an instance: in
/// its own process group, reaped by Drover (no zombie); at the timeout the whole group is killed (no orphan),
/// and the check ends only once the group is gone.
/// </summary>
public sealed class ExecProbeCheck(IProcessLauncher launcher, ProcessSpec spec) : IProbeCheck
{
    /// <inheritdoc />
    public async Task<ProbeResult> CheckAsync(CancellationToken cancel)
    {
        IRunningProcess process;
        try
        {
            process = launcher.Start(spec, DiscardSink.Instance, _ => { });
        }
        catch (LaunchException e)
        {
            return ProbeResult.Fail($"could not run `{spec.Command}`: {e.Message}");
        }
        try
        {
            var status = await process.Exited.WaitAsync(cancel).ConfigureAwait(false);
            // Whatever the command left in its group goes with it.
            process.Kill();
            await process.GroupGone.ConfigureAwait(false);
            return status.Success ? ProbeResult.Pass($"`{spec.Command}` exited 0") : ProbeResult.Fail($"`{spec.Command}` {status}");
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.GroupGone.ConfigureAwait(false);
            return ProbeResult.Fail($"`{spec.Command}` did not finish in time; killed");
        }
    }

    /// <summary>The output of a probe's command is not shown.</summary>
    private sealed class DiscardSink : IOutputSink
    {
        public static readonly DiscardSink Instance = new();

        public bool Write(ReadOnlySpan<byte> data) => true;

        public Task WhenWritable() => Task.CompletedTask;

        public void Complete()
        {
        }
    }
}
