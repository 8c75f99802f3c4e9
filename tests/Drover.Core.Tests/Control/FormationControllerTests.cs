using Drover.Core.Control;
using Drover.Core.Supervision;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Control;

public sealed class FormationControllerTests
{
    private const string WebAndWorker = "web: run web\nworker: run worker\n";

    private static string[] Names(IEnumerable<InstanceSnapshot> all) => [.. all.Select(s => s.Name)];

    [Fact]
    public async Task Scaling_up_starts_only_the_new_instances_on_the_next_ports()
    {
        await using var h = new ControllerHarness(WebAndWorker);
        await h.RunAndWaitForStarts(2);

        var after = await h.Controller.ScaleAsync(new Dictionary<string, int> { ["web"] = 3 });

        Assert.Equal(["web.1", "web.2", "web.3", "worker.1"], Names(after));
        Assert.Equal([5000, 5001, 5002, 5100], after.Select(s => s.Port));
        Assert.Equal(["web.1", "worker.1", "web.2", "web.3"], h.Launcher.Started.Select(p => p.Spec.Name));
        Assert.Equal(5002, h.Launcher.Latest("web.3").Spec.Port);
        Assert.Equal("5002", h.Launcher.Latest("web.3").Spec.Environment["PORT"]);
    }

    [Fact]
    public async Task Scaling_down_stops_the_highest_numbered_instances_gracefully_and_removes_them()
    {
        await using var h = new ControllerHarness(WebAndWorker, "web=3,worker=1");
        await h.RunAndWaitForStarts(4);
        using var obey = h.ObeyStops();

        var after = await h.Controller.ScaleAsync(new Dictionary<string, int> { ["web"] = 1 });

        Assert.Equal(["web.1", "worker.1"], Names(after));
        Assert.True(h.Launcher.Latest("web.3").Received(Signals.Term));
        Assert.True(h.Launcher.Latest("web.2").Received(Signals.Term));
        Assert.False(h.Launcher.Latest("web.1").Received(Signals.Term));
        Assert.Equal(["web.1", "worker.1"], Names(await h.Controller.View.CurrentAsync()));
    }

    [Fact]
    public async Task Scale_requests_with_an_unknown_type_or_a_negative_count_change_nothing()
    {
        await using var h = new ControllerHarness(WebAndWorker);
        await h.RunAndWaitForStarts(2);

        var unknown = await Assert.ThrowsAsync<ControlException>(() => h.Controller.ScaleAsync(new Dictionary<string, int> { ["db"] = 1 }));
        Assert.Equal(ControlError.NotFound, unknown.Kind);
        Assert.Contains("unknown process type 'db'", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ControlException>(() => h.Controller.ScaleAsync(new Dictionary<string, int> { ["web"] = -1 }));

        Assert.Equal(2, h.Launcher.Started.Count);
        Assert.Equal(["web.1", "worker.1"], Names(await h.Ps()));
    }

    [Fact]
    public async Task A_rolling_restart_stops_the_next_instance_only_once_the_previous_replacement_is_ready()
    {
        await using var h = new ControllerHarness(WebAndWorker, "web=2,worker=0");
        await h.RunAndWaitForStarts(2);
        h.Probe.Ready(1000);
        h.Probe.Ready(1001);
        using var obey = h.ObeyStops();

        var restart = h.Controller.RestartAsync("web");
        await Poll.Until(() => h.Probe.WaitedFor.Contains(1002), "the replacement of web.1 to be waited for");

        // web.2 runs on untouched while its predecessor's replacement is not ready.
        Assert.False(h.Launcher.Latest("web.2").Received(Signals.Term));
        Assert.False(restart.IsCompleted);
        h.Probe.Ready(1002);
        await Poll.Until(() => h.Probe.WaitedFor.Contains(1003), "the replacement of web.2 to be waited for");
        h.Probe.Ready(1003);
        var after = await Poll.Completion(restart, "the restart");

        Assert.Equal([1002, 1003], after.Select(s => s.Pid));
        Assert.All(after, s => Assert.Equal(InstanceState.Running, s.State));
    }

    [Fact]
    public async Task A_rolling_restart_stops_there_when_a_replacement_is_not_ready_in_time()
    {
        await using var h = new ControllerHarness(WebAndWorker, "web=2,worker=0", readinessTimeout: TimeSpan.FromSeconds(30));
        await h.RunAndWaitForStarts(2);
        h.Probe.Ready(1000);
        h.Probe.Ready(1001);
        using var obey = h.ObeyStops();

        var restart = h.Controller.RestartAsync("web");
        await Poll.Until(() => h.Probe.WaitedFor.Contains(1002), "the replacement of web.1 to be waited for");
        h.Time.Advance(TimeSpan.FromSeconds(30));

        var e = await Assert.ThrowsAsync<ControlException>(() => Poll.Completion(restart, "the restart"));
        Assert.Equal("web.1 did not accept connections on port 5000 within 30 s; the restart stopped there", e.Message);
        Assert.False(h.Launcher.Latest("web.2").Received(Signals.Term));
        Assert.Single(h.Launcher.StartsOf("web.2"));
    }

    [Fact]
    public async Task An_instance_that_was_not_ready_is_restarted_without_waiting()
    {
        await using var h = new ControllerHarness(WebAndWorker, "web=1,worker=1");
        await h.RunAndWaitForStarts(2);
        using var obey = h.ObeyStops();

        var after = await h.Controller.RestartAsync(null);

        Assert.Equal([1002, 1003], after.Select(s => s.Pid));
        Assert.Empty(h.Probe.WaitedFor);
    }

    [Fact]
    public async Task A_stopped_instance_stays_stopped_until_started_again()
    {
        await using var h = new ControllerHarness(WebAndWorker);
        await h.RunAndWaitForStarts(2);
        using var obey = h.ObeyStops();

        var stopped = await h.Controller.StopAsync("web.1");
        Assert.Equal(InstanceState.Stopped, stopped.Single(s => s.Name == "web.1").State);
        Assert.Equal(InstanceState.Running, stopped.Single(s => s.Name == "worker.1").State);

        var started = await h.Controller.StartAsync("web.1");
        var web = started.Single(s => s.Name == "web.1");
        Assert.Equal((InstanceState.Running, (int?)1002, 5000), (web.State, web.Pid, web.Port!.Value));
    }

    [Fact]
    public async Task Starting_a_type_scaled_to_0_starts_one_instance_on_its_port()
    {
        await using var h = new ControllerHarness(WebAndWorker, "web=1,worker=0");
        await h.RunAndWaitForStarts(1);

        var after = await h.Controller.StartAsync("worker");

        var worker = after.Single(s => s.Name == "worker.1");
        Assert.Equal((InstanceState.Running, (int?)5100), (worker.State, worker.Port));
    }

    [Fact]
    public async Task Control_requests_for_unknown_instances_are_not_found()
    {
        await using var h = new ControllerHarness(WebAndWorker);
        await h.RunAndWaitForStarts(2);

        Assert.Equal(ControlError.NotFound, (await Assert.ThrowsAsync<ControlException>(() => h.Controller.StopAsync("web.9"))).Kind);
        Assert.Equal(ControlError.NotFound, (await Assert.ThrowsAsync<ControlException>(() => h.Controller.RestartAsync("db"))).Kind);
    }

    [Fact]
    public async Task A_reload_restarts_changed_types_starts_new_ones_and_removes_gone_ones()
    {
        await using var h = new ControllerHarness("web: run web\nworker: run worker\nold: run old\n");
        await h.RunAndWaitForStarts(3);
        using var obey = h.ObeyStops();

        h.Rewrite("web: run web --new\nworker: run worker\nclock: run clock\n");
        var after = await h.Controller.ReloadAsync();

        Assert.Equal(["web.1", "worker.1", "clock.1"], Names(after));
        Assert.Equal("run web --new", h.Launcher.Latest("web.1").Spec.Command);
        Assert.Single(h.Launcher.StartsOf("worker.1"));
        Assert.True(h.Launcher.Latest("old.1").Received(Signals.Term));
        Assert.Equal(5200, h.Launcher.Latest("clock.1").Spec.Port);
    }

    [Fact]
    public async Task A_reload_of_an_invalid_procfile_changes_nothing()
    {
        await using var h = new ControllerHarness(WebAndWorker);
        await h.RunAndWaitForStarts(2);

        h.Rewrite("web run web\n");
        var e = await Assert.ThrowsAsync<ControlException>(() => h.Controller.ReloadAsync());

        Assert.StartsWith("reload failed, nothing changed: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Launcher.Started.Count);
        Assert.Equal(["web.1", "worker.1"], Names(await h.Ps()));
    }
}
