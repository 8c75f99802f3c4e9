using Drover.Core.Settings;
using Drover.Core.Supervision;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Supervision;

/// <summary>A type's <c>availability</c> from the settings file: its restart policy, exit_on_failure and max_restarts.</summary>
public sealed class AvailabilityTests
{
    private static readonly ExitStatus Crash = ExitStatus.Exited(1);
    private static readonly ExitStatus Clean = ExitStatus.Exited(0);

    private static Func<string, TypeSettings> For(string type, AvailabilitySpec availability) =>
        t => t == type ? new TypeSettings(t) { Availability = availability } : TypeSettings.Default(t);

    [Fact]
    public async Task After_max_restarts_in_a_row_the_instance_is_given_up_and_a_start_by_hand_counts_afresh()
    {
        await using var h = new SupervisorHarness(null, For("web", AvailabilitySpec.Inherit with { MaxRestarts = 2 }), "web.1", "worker.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("web.1").Exit(Crash);
        await h.Started("web.1", 2);
        h.Launcher.Latest("web.1").Exit(Crash);
        await h.InState("web.1", InstanceState.Backoff);
        h.Time.Advance(TimeSpan.FromMilliseconds(100));
        await h.Started("web.1", 3);
        h.Launcher.Latest("web.1").Exit(Crash);
        await h.InState("web.1", InstanceState.GivenUp);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Settled();

        Assert.Equal(3, h.Launcher.StartsOf("web.1").Count);
        Assert.Equal(InstanceState.GivenUp, h["web.1"].State);
        Assert.False(h.Running.IsCompleted);
        await h.Shows("web.1 given up after 2 restarts (max_restarts)");

        await h.Supervisor.StartInstanceAsync(h["web.1"].Name);
        await h.Started("web.1", 4);
        Assert.Equal(0, h["web.1"].AutomaticRestarts);
        h.Launcher.Latest("web.1").Exit(Crash);
        await h.InState("web.1", InstanceState.Backoff);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Started("web.1", 5);
        Assert.Equal(InstanceState.Running, h["web.1"].State);
    }

    [Fact]
    public async Task A_types_policy_wins_over_the_global_one()
    {
        var options = SupervisorOptions.Default with { Restart = RestartPolicy.Never };
        await using var h = new SupervisorHarness(options, For("web", AvailabilitySpec.Inherit with { Restart = RestartPolicy.Always }), "web.1", "worker.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("web.1").Exit(Clean);
        h.Launcher.Latest("worker.1").Exit(Crash);
        await h.Started("web.1", 2);
        await h.InState("worker.1", InstanceState.Exited);

        Assert.Single(h.Launcher.StartsOf("worker.1"));
    }

    [Fact]
    public async Task Exit_on_failure_stops_the_formation_with_the_failing_code()
    {
        await using var h = new SupervisorHarness(null, For("migrate", new AvailabilitySpec(RestartPolicy.Never, true, null, null)), "web.1", "migrate.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("migrate.1").Exit(ExitStatus.Exited(42));
        await Poll.Until(() => h.Launcher.Latest("web.1").Received(Signals.Term), "SIGTERM to web.1");
        h.Launcher.Latest("web.1").Exit(ExitStatus.Killed(Signals.Term));

        Assert.Equal(42, await h.Finished());
        Assert.Single(h.Launcher.StartsOf("migrate.1"));
    }

    [Fact]
    public async Task Exit_on_failure_leaves_the_formation_running_after_a_clean_exit()
    {
        await using var h = new SupervisorHarness(null, For("migrate", new AvailabilitySpec(RestartPolicy.Never, true, null, null)), "web.1", "migrate.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("migrate.1").Exit(Clean);
        await h.InState("migrate.1", InstanceState.Exited);
        await h.Settled();

        Assert.False(h.Launcher.Latest("web.1").Received(Signals.Term));
        Assert.False(h.Running.IsCompleted);
    }
}
