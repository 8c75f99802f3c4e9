using Drover.Cli.Tests.Support;
using Xunit.Abstractions;

namespace Drover.Cli.Tests.Reliability;

/// <summary>A process that crashes again and again must not make drover hold more and more.</summary>
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    // Thread-pool workers come and go with load: the pool adds one when queued work waits (seen: +4 on a 2-core
    // machine with a build running alongside) and retires it only after 20 s idle. So the total may grow by this
    // much, while a thread leaked per restart, or per ten, would add 30 to 300.
    private const int PoolSlack = 8;

    // Dedicated threads (drover's own, the runtime's signal, socket and finalizer threads...) do not depend on load;
    // only the tiered JIT's background compiler thread starts and ends on its own.
    private const int DedicatedSlack = 1;

    [Fact]
    public async Task Hundreds_of_restarts_leave_drovers_descriptors_unchanged_and_its_threads_flat()
    {
        // The process crashes at once, unless the file "hold" exists: then it says "held" and waits for it to go.
        // Holding it makes both samples below see drover in the same state: one process running, none exiting.
        using var app = TempApp.Create().WithProcfile(
            "crash: if [ -e hold ]; then echo held; while [ -e hold ]; do sleep 0.05; done; fi; exit 1");
        using var drover = DroverProcess.Start(
            app.Root, "start", "--no-timestamp", "--max-restart-delay", "0", "-p", $"{TestPorts.RandomBase()}");

        await drover.WaitForStartAsync("crash.1", occurrence: 50);
        var (before, startsBefore) = await SampleWhileHeldAsync(drover, app, held: 1);
        await drover.WaitForStartAsync("crash.1", occurrence: startsBefore + 300);
        var (after, startsAfter) = await SampleWhileHeldAsync(drover, app, held: 2);

        output.WriteLine($"after {startsBefore} starts: {before}");
        output.WriteLine($"after {startsAfter} starts: {after}");
        Assert.True(startsAfter - startsBefore >= 300, $"only {startsAfter - startsBefore} restarts between the samples");
        Assert.True(
            before.NonAssemblyDescriptors == after.NonAssemblyDescriptors,
            $"open descriptors (assemblies aside) went from {before.NonAssemblyDescriptors} to {after.NonAssemblyDescriptors} over {startsAfter - startsBefore} restarts\n"
            + $"before: {before.Kinds()}\nafter:  {after.Kinds()}");
        Assert.True(
            after.DedicatedThreads - before.DedicatedThreads <= DedicatedSlack && after.Threads - before.Threads <= PoolSlack,
            $"threads went from {before.Threads} to {after.Threads} over {startsAfter - startsBefore} restarts\n"
            + $"before: {before.Names()}\nafter:  {after.Names()}");

        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
        Assert.Equal("all processes stopped", drover.TextOf("system")[^1]);
    }

    /// <summary>
    /// Makes the next start of crash.1 wait, samples drover while it does, and lets the loop go on. Returns the
    /// sample and how many times crash.1 had started by then.
    /// </summary>
    private static async Task<(ProcessResources Sample, int Starts)> SampleWhileHeldAsync(DroverProcess drover, TempApp app, int held)
    {
        await File.WriteAllTextAsync(app.PathOf("hold"), "");
        await drover.WaitForOutputAsync("crash.1", "held", occurrence: held);
        var sample = ProcessResources.Of(drover.Pid);
        int starts = drover.Lines.Count(l => l.Started?.Instance == "crash.1");
        File.Delete(app.PathOf("hold"));
        return (sample, starts);
    }
}
