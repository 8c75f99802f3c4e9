using Drover.Core.Settings;
using Drover.Core.Supervision;
using Drover.Core.Supervision.Events;
using Drover.Core.Tests.Support;
using static Drover.Core.Tests.Probes.ProbeSupervisionTests;

namespace Drover.Core.Tests.Probes;

/// <summary>depends_on under the supervisor: waiting, release, one-shots, conditions that cannot be met.</summary>
public sealed class DependencyTests
{
    private static TypeSettings DependsOn(string type, string on, DependencyCondition condition) =>
        new(type) { DependsOn = [new Dependency(on, condition)] };

    [Fact]
    public async Task A_worker_that_depends_on_a_healthy_db_waits_until_db_is_ready_then_starts_once()
    {
        var checks = new ScriptedChecks();
        var options = SupervisorOptions.Default with { ProbeChecks = checks.Create };
        await using var h = new SupervisorHarness(options,
            Types(new TypeSettings("db") { Readiness = Probe() }, DependsOn("worker", "db", DependencyCondition.Healthy)),
            "db.1", "worker.1");
        h.Run();
        await h.Started("db.1", 1);
        await h.InState("worker.1", InstanceState.Waiting);
        await h.Shows("worker.1 waiting for db");
        var waiting = (await h.Supervisor.SnapshotAsync()).Single(s => s.Name == "worker.1");
        Assert.Equal(["db"], waiting.WaitingFor);
        await Checked(h, checks, "db.1", 3);
        Assert.Empty(h.Launcher.StartsOf("worker.1"));

        checks.Answer("db.1", true);
        await Checked(h, checks, "db.1", 4);
        await h.Started("worker.1", 1);
        // The start is recorded before the output thread has written its line.
        await h.Shows("worker.1 started with pid");

        var lines = h.Output.Stream.Lines();
        int ready = lines.ToList().FindIndex(l => l.Contains("db.1 is ready", StringComparison.Ordinal));
        int started = lines.ToList().FindIndex(l => l.Contains("worker.1 started with pid", StringComparison.Ordinal));
        Assert.InRange(ready, 0, started - 1);
        var worker = (await h.Supervisor.SnapshotAsync()).Single(s => s.Name == "worker.1");
        Assert.Equal(InstanceState.Running, worker.State);
        Assert.Equal(0, worker.Restarts);
        Assert.Empty(worker.WaitingFor);
    }

    [Fact]
    public async Task A_migration_that_completes_successfully_unblocks_its_dependents_and_is_not_restarted_even_under_always()
    {
        var options = SupervisorOptions.Default with { Restart = RestartPolicy.Always };
        await using var h = new SupervisorHarness(options,
            Types(DependsOn("web", "migrate", DependencyCondition.CompletedSuccessfully)),
            "migrate.1", "web.1");
        h.Run();
        await h.Started("migrate.1", 1);
        await h.InState("web.1", InstanceState.Waiting);

        h.Launcher.Latest("migrate.1").Exit(ExitStatus.Exited(0));
        await h.Started("web.1", 1);
        await h.Settled();

        Assert.Equal(InstanceState.Exited, h["migrate.1"].State);
        Assert.Single(h.Launcher.StartsOf("migrate.1"));
    }

    [Fact]
    public async Task A_failed_migration_that_is_retried_keeps_its_dependents_waiting_until_it_succeeds()
    {
        await using var h = new SupervisorHarness(SupervisorOptions.Default with { Backoff = new BackoffOptions(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(10)) },
            Types(DependsOn("web", "migrate", DependencyCondition.CompletedSuccessfully)),
            "migrate.1", "web.1");
        h.Run();
        await h.Started("migrate.1", 1);

        h.Launcher.Latest("migrate.1").Exit(ExitStatus.Exited(1));
        await h.Started("migrate.1", 2);
        Assert.Equal(InstanceState.Waiting, h["web.1"].State);
        h.Launcher.Latest("migrate.1").Exit(ExitStatus.Exited(0));

        await h.Started("web.1", 1);
    }

    [Fact]
    public async Task A_dependency_that_can_never_be_met_is_shown_and_the_formation_ends_with_1()
    {
        var options = SupervisorOptions.Default with { Restart = RestartPolicy.Never };
        await using var h = new SupervisorHarness(options,
            Types(DependsOn("web", "migrate", DependencyCondition.CompletedSuccessfully)),
            "migrate.1", "web.1");
        h.Run();
        await h.Started("migrate.1", 1);

        h.Launcher.Latest("migrate.1").Exit(ExitStatus.Exited(1));

        await h.Shows("web.1 cannot start: migrate.1 exited with code 1 and is not restarted; it had to complete successfully");
        Assert.Equal(1, await h.Finished());
        Assert.Empty(h.Launcher.StartsOf("web.1"));
        Assert.Equal(InstanceState.Waiting, h["web.1"].State);
        Assert.NotNull(h["web.1"].Blocked);
    }

    [Fact]
    public async Task Started_waits_only_for_the_start_and_completed_for_any_exit()
    {
        var options = SupervisorOptions.Default with { Restart = RestartPolicy.Never };
        await using var h = new SupervisorHarness(options,
            Types(DependsOn("b", "a", DependencyCondition.Started), DependsOn("c", "a", DependencyCondition.Completed)),
            "a.1", "b.1", "c.1");
        h.Run();
        await h.Started("b.1", 1);
        await h.InState("c.1", InstanceState.Waiting);

        h.Launcher.Latest("a.1").Exit(ExitStatus.Exited(3));

        await h.Started("c.1", 1);
    }

    [Fact]
    public async Task A_dependency_on_a_type_with_no_instance_is_not_waited_for()
    {
        await using var h = new SupervisorHarness(null, Types(DependsOn("web", "db", DependencyCondition.Healthy)), "web.1");

        await h.RunAndWaitForStarts();
    }

    [Fact]
    public async Task A_waiting_instance_is_published_as_a_typed_change()
    {
        await using var h = new SupervisorHarness(null, Types(DependsOn("web", "migrate", DependencyCondition.CompletedSuccessfully)), "migrate.1", "web.1");
        using var view = FormationView.Follow(h.Supervisor);
        h.Run();

        var now = await view.WaitForAsync(all => all.Any(s => s.Name == "web.1" && s.State == InstanceState.Waiting), CancellationToken.None)
            .WaitAsync(Poll.Timeout);

        Assert.Equal(["migrate"], now.Single(s => s.Name == "web.1").WaitingFor);
    }
}
