using Drover.Core.Settings;
using Drover.Core.Supervision;
using Drover.Core.Tests.Support;
using static Drover.Core.Tests.Probes.ProbeSupervisionTests;

namespace Drover.Core.Tests.Probes;

/// <summary>Shutdown in dependency order, with per-type stop signal, timeout and stop command.</summary>
public sealed class OrderedShutdownTests
{
    private static SettingsDocument WorkerOnDb(ShutdownSpec? db = null) => Types(
        new TypeSettings("db") { Shutdown = db ?? ShutdownSpec.Inherit },
        new TypeSettings("worker") { DependsOn = [new Dependency("db", DependencyCondition.Started)] });

    [Fact]
    public async Task Dependents_are_stopped_first_and_what_they_depend_on_only_after_they_exited()
    {
        await using var h = new SupervisorHarness(null, WorkerOnDb(), "db.1", "worker.1", "worker.2");
        await h.RunAndWaitForStarts();
        var db = h.Launcher.Latest("db.1");

        h.Supervisor.RequestShutdown();
        await Poll.Until(() => h.Launcher.Latest("worker.2").Received(Signals.Term), "worker.2 asked to stop");
        Assert.True(h.Launcher.Latest("worker.1").Received(Signals.Term));
        await h.Settled();
        Assert.Empty(db.Signals);

        h.Launcher.Latest("worker.1").Exit(ExitStatus.Killed(Signals.Term));
        await h.Settled();
        Assert.Empty(db.Signals); // worker.2 still runs
        h.Launcher.Latest("worker.2").Exit(ExitStatus.Killed(Signals.Term));

        await Poll.Until(() => db.Received(Signals.Term), "db asked to stop");
        db.Exit(ExitStatus.Killed(Signals.Term));
        Assert.Equal(0, await h.Finished());
    }

    [Fact]
    public async Task A_type_is_stopped_with_its_own_signal_and_killed_after_its_own_timeout()
    {
        var spec = new ShutdownSpec(Signals.Interrupt, TimeSpan.FromSeconds(2), null);
        await using var h = new SupervisorHarness(SupervisorOptions.Default with { StopTimeout = TimeSpan.FromSeconds(30) }, WorkerOnDb(spec), "db.1", "worker.1");
        await h.RunAndWaitForStarts();
        var db = h.Launcher.Latest("db.1");
        h.Supervisor.RequestShutdown();
        await Poll.Until(() => h.Launcher.Latest("worker.1").Received(Signals.Term), "worker asked to stop");
        h.Launcher.Latest("worker.1").Exit(ExitStatus.Killed(Signals.Term));
        await Poll.Until(() => db.Received(Signals.Interrupt), "db asked to stop with SIGINT");

        h.Time.Advance(TimeSpan.FromSeconds(2));

        await Poll.Until(() => db.Received(Signals.Kill), "db killed after its 2 s");
        Assert.Equal([Signals.Interrupt, Signals.Kill], db.Signals);
        await h.Shows("stop timeout of 2 s reached: sending SIGKILL to db.1");
        db.Exit(ExitStatus.Killed(Signals.Kill));
        await h.Finished();
    }

    [Fact]
    public async Task A_stop_command_is_run_instead_of_the_signal_then_SIGKILL_after_the_timeout()
    {
        var spec = new ShutdownSpec(null, TimeSpan.FromSeconds(3), "pg_ctl stop");
        await using var h = new SupervisorHarness(null, Types(new TypeSettings("db") { Shutdown = spec }), "db.1");
        await h.RunAndWaitForStarts();
        var db = h.Launcher.Latest("db.1");

        h.Supervisor.RequestShutdown();

        await h.Started("db.1 stop", 1);
        var stopper = h.Launcher.Latest("db.1 stop");
        Assert.Equal("pg_ctl stop", stopper.Spec.Command);
        Assert.Equal(db.Spec.Environment, stopper.Spec.Environment);
        Assert.Empty(db.Signals);
        stopper.Exit(ExitStatus.Exited(0));
        h.Time.Advance(TimeSpan.FromSeconds(3));
        await Poll.Until(() => db.Received(Signals.Kill), "db killed after the timeout");
        db.Exit(ExitStatus.Killed(Signals.Kill));
        await h.Finished();
    }

    [Fact]
    public async Task A_second_shutdown_request_kills_everything_at_once_whatever_the_order()
    {
        await using var h = new SupervisorHarness(null, WorkerOnDb(), "db.1", "worker.1");
        await h.RunAndWaitForStarts();
        h.Supervisor.RequestShutdown();
        await Poll.Until(() => h.Launcher.Latest("worker.1").Received(Signals.Term), "worker asked to stop");

        h.Supervisor.RequestShutdown();

        await Poll.Until(() => h.Launcher.Latest("db.1").Received(Signals.Kill), "db killed");
        Assert.True(h.Launcher.Latest("worker.1").Received(Signals.Kill));
        Assert.DoesNotContain(Signals.Term, h.Launcher.Latest("db.1").Signals);
        h.Launcher.Latest("db.1").Exit(ExitStatus.Killed(Signals.Kill));
        h.Launcher.Latest("worker.1").Exit(ExitStatus.Killed(Signals.Kill));
        await h.Finished();
        Assert.Single(h.Launcher.StartsOf("db.1"));
    }

    [Fact]
    public async Task A_control_stop_uses_the_types_signal()
    {
        await using var h = new SupervisorHarness(null, Types(new TypeSettings("web") { Shutdown = new ShutdownSpec(Signals.Quit, null, null) }), "web.1");
        await h.RunAndWaitForStarts();

        var stopped = h.Supervisor.StopInstanceAsync(new Drover.Core.Formation.InstanceName("web", 1));

        await h.Shows("stopping web.1: sending SIGQUIT to process group 1000");
        Assert.Equal([Signals.Quit], h.Launcher.Latest("web.1").Signals);
        h.Launcher.Latest("web.1").Exit(ExitStatus.Killed(Signals.Quit));
        await Poll.Completion(stopped, "stop to complete");
    }
}
