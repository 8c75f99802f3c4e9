using Drover.Core.Supervision;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Supervision;

public sealed class SupervisorTests
{
    private static readonly TimeSpan OneMs = TimeSpan.FromMilliseconds(1);
    private static readonly ExitStatus Crash = ExitStatus.Exited(1);
    private static readonly ExitStatus Clean = ExitStatus.Exited(0);
    private static readonly ExitStatus Terminated = ExitStatus.Killed(Signals.Term);

    private static SupervisorOptions With(RestartPolicy restart = RestartPolicy.OnFailure, bool stopAllOnExit = false) =>
        SupervisorOptions.Default with { Restart = restart, StopAllOnExit = stopAllOnExit };

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    // ---- starting ----

    [Fact]
    public async Task Every_instance_is_started_in_formation_order()
    {
        await using var h = new SupervisorHarness(null, "web.1", "web.2", "worker.1");

        await h.RunAndWaitForStarts();
        await h.Settled();

        Assert.Equal(["web.1", "web.2", "worker.1"], h.Launcher.Started.Select(p => p.Spec.Name));
        Assert.Equal([h["web.1"].Spec, h["web.2"].Spec, h["worker.1"].Spec], h.Launcher.Started.Select(p => p.Spec));
        Assert.All(h.Instances, i => Assert.Equal(InstanceState.Running, i.State));
        Assert.Equal([1000, 1001, 1002], h.Instances.Select(i => i.Process!.Pid));
        await h.Shows("worker.1 started with pid 1002");
        var started = h.Output.Stream.Lines().Where(l => l.Contains("started with pid", StringComparison.Ordinal));
        Assert.Equal(
            ["system   | web.1 started with pid 1000", "system   | web.2 started with pid 1001", "system   | worker.1 started with pid 1002"],
            started);
    }

    [Fact]
    public async Task A_process_output_comes_out_under_its_own_name()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("web.1").Write("hello\nwor");
        h.Launcher.Latest("worker.1").Write("working\n");
        h.Launcher.Latest("web.1").Write("ld\n");

        await h.Shows("web.1    | world\n");
        Assert.Equal(
            ["web.1    | hello", "worker.1 | working", "web.1    | world"],
            h.Output.Stream.Lines().Where(l => !l.StartsWith("system", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task When_every_process_finishes_cleanly_nothing_restarts_and_the_run_returns_0()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("web.1").Write("hello\n");
        h.Launcher.Latest("web.1").Exit(Clean);
        h.Launcher.Latest("worker.1").Exit(Clean);

        Assert.Equal(0, await h.Finished());
        Assert.Equal(2, h.Launcher.Started.Count);
        Assert.All(h.Instances, i => Assert.Equal(InstanceState.Exited, i.State));
        Assert.All(h.Instances, i => Assert.Equal(0, i.Restarts));
        Assert.Equal(
            [
                "system   | web.1 started with pid 1000",
                "system   | worker.1 started with pid 1001",
                "web.1    | hello",
                "system   | web.1 exited with code 0",
                "system   | worker.1 exited with code 0",
                "system   | all processes finished",
            ],
            h.Output.Stream.Lines());
    }

    [Fact]
    public async Task A_clean_exit_under_on_failure_leaves_the_others_running()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("web.1").Exit(Clean);
        await h.Settled();

        Assert.Equal(InstanceState.Exited, h["web.1"].State);
        Assert.Equal(Clean, h["web.1"].LastExit);
        Assert.Equal(InstanceState.Running, h["worker.1"].State);
        Assert.False(h.Running.IsCompleted);
        Assert.Equal(2, h.Launcher.Started.Count);
    }

    // ---- restarts and backoff ----

    [Fact]
    public async Task A_crash_is_restarted_at_once_the_next_after_100_ms_then_after_200_ms()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();

        // First crash: restarted without any time passing.
        h.Launcher.Latest("web.1").Exit(Crash);
        await h.Started("web.1", 2);
        await h.InState("web.1", InstanceState.Running);
        Assert.Equal(1, h["web.1"].Restarts);

        // Second crash: waits 100 ms.
        h.Launcher.Latest("web.1").Exit(Crash);
        await h.Settled();
        Assert.Equal(InstanceState.Backoff, h["web.1"].State);
        Assert.Equal(Crash, h["web.1"].LastExit);
        h.Time.Advance(Ms(99));
        await h.Settled();
        Assert.Equal(2, h.Launcher.Started.Count);
        Assert.Equal(InstanceState.Backoff, h["web.1"].State);
        h.Time.Advance(OneMs);
        await h.Started("web.1", 3);
        await h.InState("web.1", InstanceState.Running);

        // Third crash: waits 200 ms.
        h.Launcher.Latest("web.1").Exit(ExitStatus.Killed(Signals.Kill));
        await h.Settled();
        h.Time.Advance(Ms(199));
        await h.Settled();
        Assert.Equal(3, h.Launcher.Started.Count);
        h.Time.Advance(OneMs);
        await h.Started("web.1", 4);
        await h.InState("web.1", InstanceState.Running);
        Assert.Equal(3, h["web.1"].Restarts);

        await h.Shows("web.1 restarting in 200 ms");
        string output = h.Output.Stream.Text;
        Assert.Contains("system | web.1 exited with code 1\nsystem | web.1 restarting now\n", output);
        Assert.Contains("system | web.1 restarting in 100 ms", output);
        Assert.Contains("system | web.1 killed by SIGKILL\nsystem | web.1 restarting in 200 ms", output);
    }

    [Fact]
    public async Task A_process_that_stayed_up_10_s_is_restarted_at_once_again_and_the_delays_start_over()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        h.Launcher.Latest("web.1").Exit(Crash);
        await h.Started("web.1", 2);
        h.Launcher.Latest("web.1").Exit(Crash);
        await h.Settled();
        h.Time.Advance(Ms(100));
        await h.Started("web.1", 3);
        await h.InState("web.1", InstanceState.Running);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Launcher.Latest("web.1").Exit(Crash);

        // No time passes: only an immediate restart can happen.
        await h.Started("web.1", 4);
        await h.InState("web.1", InstanceState.Running);

        h.Launcher.Latest("web.1").Exit(Crash);
        await h.Settled();
        h.Time.Advance(Ms(99));
        await h.Settled();
        Assert.Equal(4, h.Launcher.Started.Count);
        h.Time.Advance(OneMs);
        await h.Started("web.1", 5);
    }

    [Fact]
    public async Task Under_Always_a_clean_exit_is_restarted_too_with_the_same_backoff()
    {
        await using var h = new SupervisorHarness(With(RestartPolicy.Always), "web.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("web.1").Exit(Clean);
        await h.Started("web.1", 2);
        h.Launcher.Latest("web.1").Exit(Clean);
        await h.Settled();
        Assert.Equal(InstanceState.Backoff, h["web.1"].State);
        h.Time.Advance(Ms(100));
        await h.Started("web.1", 3);

        h.Supervisor.RequestShutdown();
        await Poll.Until(() => h.Launcher.Latest("web.1").Received(Signals.Term), "SIGTERM");
        h.Launcher.Latest("web.1").Exit(Terminated);
        Assert.Equal(0, await h.Finished());
    }

    [Fact]
    public async Task Under_Never_a_failure_is_not_restarted_and_the_run_returns_1_when_all_have_finished()
    {
        await using var h = new SupervisorHarness(With(RestartPolicy.Never), "web.1", "worker.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("worker.1").Exit(ExitStatus.Exited(3));
        await h.Settled();
        Assert.Equal(InstanceState.Exited, h["worker.1"].State);
        Assert.False(h.Running.IsCompleted);
        h.Launcher.Latest("web.1").Exit(Clean);

        Assert.Equal(1, await h.Finished());
        Assert.Equal(2, h.Launcher.Started.Count);
        Assert.Equal(ExitStatus.Exited(3), h["worker.1"].LastExit);
        Assert.Contains("system   | all processes finished\n", h.Output.Stream.Text);
    }

    [Fact]
    public async Task Under_Never_a_clean_finish_returns_0()
    {
        await using var h = new SupervisorHarness(With(RestartPolicy.Never), "web.1");
        await h.RunAndWaitForStarts();

        h.Launcher.Latest("web.1").Exit(Clean);

        Assert.Equal(0, await h.Finished());
    }

    [Fact]
    public async Task A_launch_failure_is_reported_and_retried_with_backoff()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");
        h.Launcher.FailNextStart("no such directory: /app", "web.1");
        h.Launcher.FailNextStart("no such directory: /app", "web.1");

        h.Run();
        await h.Started("worker.1", 1);
        await Poll.Until(() => h.Launcher.FailedStarts == 2, "two failed starts of web.1");
        await h.Settled();

        Assert.Equal(InstanceState.Backoff, h["web.1"].State);
        Assert.Empty(h.Launcher.StartsOf("web.1"));
        h.Time.Advance(Ms(99));
        await h.Settled();
        Assert.Empty(h.Launcher.StartsOf("web.1"));
        h.Time.Advance(OneMs);
        await h.Started("web.1", 1);
        await h.InState("web.1", InstanceState.Running);

        await h.Shows("web.1 started with pid");
        string output = h.Output.Stream.Text;
        Assert.Contains("system   | web.1 failed to start: no such directory: /app\nsystem   | web.1 restarting now\n", output);
        Assert.Contains("system   | web.1 restarting in 100 ms", output);
        Assert.Equal(InstanceState.Running, h["worker.1"].State);
    }

    [Fact]
    public async Task A_launch_failure_under_restart_never_ends_the_instance_with_code_127()
    {
        await using var h = new SupervisorHarness(SupervisorOptions.Default with { Restart = RestartPolicy.Never }, "web.1");
        h.Launcher.FailNextStart("no such directory: /app", "web.1");

        h.Run();

        Assert.Equal(1, await h.Finished());
        Assert.Equal(InstanceState.Exited, h["web.1"].State);
        Assert.Equal(ExitStatus.Exited(127), h["web.1"].LastExit);
        Assert.Empty(h.Launcher.StartsOf("web.1"));
    }

    [Fact]
    public async Task A_launch_failure_in_stop_on_exit_mode_stops_everything_with_code_127()
    {
        await using var h = new SupervisorHarness(SupervisorOptions.Default with { StopAllOnExit = true }, "worker.1", "web.1");
        h.Launcher.FailNextStart("no such directory: /app", "web.1");

        h.Run();
        await h.Started("worker.1", 1);
        await Poll.Until(() => h.Launcher.StartsOf("worker.1").Single().Received(Signals.Term), "SIGTERM to worker.1");
        h.Launcher.StartsOf("worker.1").Single().Exit(ExitStatus.Killed(Signals.Term));

        Assert.Equal(127, await h.Finished());
    }

    // ---- leftovers of a crashed process's group ----

    [Fact]
    public async Task What_a_crashed_process_leaves_in_its_group_gets_SIGTERM_then_SIGKILL_after_the_stop_timeout()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        var first = h.Launcher.Latest("web.1");

        first.ExitLeavingGroup(Crash);
        await h.Started("web.1", 2);
        await h.Settled();
        var second = h.Launcher.Latest("web.1");

        Assert.Equal([Signals.Term], first.Signals);
        h.Time.Advance(h.Options.StopTimeout - OneMs);
        await h.Settled();
        Assert.Equal([Signals.Term], first.Signals);
        h.Time.Advance(OneMs);
        await Poll.Until(() => first.Received(Signals.Kill), "SIGKILL to the leftovers");
        Assert.Equal([Signals.Term, Signals.Kill], first.Signals);
        Assert.Empty(second.SignalAttempts);
        await h.Shows("SIGTERM");
        Assert.Contains("web.1", Assert.Single(h.Output.Stream.Lines(), l => l.Contains("SIGTERM", StringComparison.Ordinal)));

        first.EndGroup();
        h.Supervisor.RequestShutdown();
        await Poll.Until(() => second.Received(Signals.Term), "SIGTERM at shutdown");
        second.Exit(Terminated);
        Assert.Equal(0, await h.Finished());
    }

    [Fact]
    public async Task Leftovers_that_leave_within_the_stop_timeout_are_not_signalled_again()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        var first = h.Launcher.Latest("web.1");

        first.ExitLeavingGroup(Crash);
        await h.Started("web.1", 2);
        await h.Settled();
        first.EndGroup();
        await h.Settled();
        h.Time.Advance(h.Options.StopTimeout);
        await h.Settled();

        Assert.Equal([Signals.Term], first.SignalAttempts);
    }

    // ---- stop all on exit (Foreman's behaviour) ----

    [Theory]
    [InlineData(7, 0, 7)]
    [InlineData(0, 9, 137)]
    [InlineData(0, 0, 0)]
    public async Task With_StopAllOnExit_the_first_exit_stops_the_rest_and_its_code_is_returned(int code, int signal, int expected)
    {
        var status = signal == 0 ? ExitStatus.Exited(code) : ExitStatus.Killed(signal);
        await using var h = new SupervisorHarness(With(stopAllOnExit: true), "web.1", "worker.1", "clock.1");
        await h.RunAndWaitForStarts();
        var web = h.Launcher.Latest("web.1");
        var worker = h.Launcher.Latest("worker.1");
        var clock = h.Launcher.Latest("clock.1");

        worker.Exit(status);
        await Poll.Until(() => web.Received(Signals.Term) && clock.Received(Signals.Term), "SIGTERM to the others");
        await h.Settled();

        Assert.Equal(InstanceState.Exited, h["worker.1"].State);
        Assert.Equal(InstanceState.Stopping, h["web.1"].State);
        Assert.Equal(InstanceState.Stopping, h["clock.1"].State);
        Assert.Empty(worker.Signals);
        Assert.False(h.Running.IsCompleted);

        web.Exit(Terminated);
        clock.Exit(ExitStatus.Exited(143));

        Assert.Equal(expected, await h.Finished());
        Assert.Equal(3, h.Launcher.Started.Count);
        Assert.Equal(InstanceState.Stopped, h["web.1"].State);
        Assert.Equal(InstanceState.Stopped, h["clock.1"].State);
        Assert.Contains("sending SIGTERM to all processes (web.1, clock.1)", h.Output.Stream.Text);
    }

    [Fact]
    public async Task With_StopAllOnExit_a_requested_shutdown_still_returns_0()
    {
        await using var h = new SupervisorHarness(With(stopAllOnExit: true), "web.1", "worker.1");
        await h.RunAndWaitForStarts();

        h.Supervisor.RequestShutdown();
        await Poll.Until(() => h.Launcher.Started.All(p => p.Received(Signals.Term)), "SIGTERM to all");
        h.Launcher.Latest("web.1").Exit(ExitStatus.Exited(5));
        h.Launcher.Latest("worker.1").Exit(Terminated);

        Assert.Equal(0, await h.Finished());
    }

    // ---- shutdown ----

    [Fact]
    public async Task Shutdown_sends_SIGTERM_to_every_running_group_at_once_and_returns_0_when_all_are_gone()
    {
        await using var h = new SupervisorHarness(null, "web.1", "web.2", "worker.1");
        await h.RunAndWaitForStarts();

        h.Supervisor.RequestShutdown();

        // Nobody has exited yet, and every group has its SIGTERM.
        await Poll.Until(() => h.Launcher.Started.All(p => p.Received(Signals.Term)), "SIGTERM to every group");
        await h.Settled();
        Assert.All(h.Launcher.Started, p => Assert.Equal([Signals.Term], p.Signals));
        Assert.All(h.Instances, i => Assert.Equal(InstanceState.Stopping, i.State));

        foreach (var process in h.Launcher.Started)
        {
            process.Exit(Terminated);
        }

        Assert.Equal(0, await h.Finished());
        Assert.All(h.Instances, i => Assert.Equal(InstanceState.Stopped, i.State));
        Assert.Equal(3, h.Launcher.Started.Count);
        string output = h.Output.Stream.Text;
        Assert.Contains("system   | sending SIGTERM to all processes (web.1, web.2, worker.1)\n", output);
        Assert.EndsWith("system   | all processes stopped\n", output);
    }

    [Fact]
    public async Task A_requested_shutdown_returns_0_even_after_a_process_failed()
    {
        await using var h = new SupervisorHarness(With(RestartPolicy.Never), "web.1", "worker.1");
        await h.RunAndWaitForStarts();
        h.Launcher.Latest("worker.1").Exit(ExitStatus.Exited(3));
        await h.Settled();

        h.Supervisor.RequestShutdown();
        await Poll.Until(() => h.Launcher.Latest("web.1").Received(Signals.Term), "SIGTERM");
        h.Launcher.Latest("web.1").Exit(Terminated);

        Assert.Equal(0, await h.Finished());
        Assert.Equal(InstanceState.Exited, h["worker.1"].State);
    }

    [Fact]
    public async Task A_process_waiting_to_restart_is_just_stopped_at_shutdown()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");
        await h.RunAndWaitForStarts();
        h.Launcher.Latest("web.1").Exit(Crash);
        await h.Started("web.1", 2);
        h.Launcher.Latest("web.1").Exit(Crash);
        await h.Settled();
        Assert.Equal(InstanceState.Backoff, h["web.1"].State);
        int signalsToWeb = h.Launcher.StartsOf("web.1").Sum(p => p.SignalAttempts.Count);

        h.Supervisor.RequestShutdown();
        await h.Settled();

        Assert.Equal(InstanceState.Stopped, h["web.1"].State);
        Assert.Equal(InstanceState.Stopping, h["worker.1"].State);
        Assert.Equal([Signals.Term], h.Launcher.Latest("worker.1").Signals);
        Assert.Equal(signalsToWeb, h.Launcher.StartsOf("web.1").Sum(p => p.SignalAttempts.Count));

        // Its restart delay passes: nothing starts.
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Launcher.Latest("worker.1").Exit(Terminated);

        Assert.Equal(0, await h.Finished());
        Assert.Equal(2, h.Launcher.StartsOf("web.1").Count);
        Assert.Equal(InstanceState.Stopped, h["web.1"].State);
    }

    [Fact]
    public async Task After_the_stop_timeout_SIGKILL_goes_to_the_groups_still_alive()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");
        await h.RunAndWaitForStarts();
        var web = h.Launcher.Latest("web.1");
        var worker = h.Launcher.Latest("worker.1");

        h.Supervisor.RequestShutdown();
        await h.Settled();
        web.Exit(Terminated);
        await h.Settled();
        Assert.Equal(InstanceState.Stopped, h["web.1"].State);

        h.Time.Advance(h.Options.StopTimeout - OneMs);
        await h.Settled();
        Assert.Equal([Signals.Term], worker.Signals);

        h.Time.Advance(OneMs);
        await Poll.Until(() => worker.Received(Signals.Kill), "SIGKILL to worker.1");
        Assert.Equal([Signals.Term, Signals.Kill], worker.Signals);
        Assert.Equal([Signals.Term], web.SignalAttempts);
        await h.Shows("SIGKILL to worker.1");

        worker.Exit(ExitStatus.Killed(Signals.Kill));
        Assert.Equal(0, await h.Finished());
    }

    [Fact]
    public async Task A_second_shutdown_request_sends_SIGKILL_at_once()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");
        await h.RunAndWaitForStarts();

        h.Supervisor.RequestShutdown();
        await Poll.Until(() => h.Launcher.Started.All(p => p.Received(Signals.Term)), "SIGTERM to all");
        h.Supervisor.RequestShutdown();

        await Poll.Until(() => h.Launcher.Started.All(p => p.Received(Signals.Kill)), "SIGKILL to all without time passing");
        Assert.All(h.Launcher.Started, p => Assert.Equal([Signals.Term, Signals.Kill], p.Signals));
        await h.Shows("SIGKILL to web.1, worker.1");

        foreach (var process in h.Launcher.Started)
        {
            process.Exit(ExitStatus.Killed(Signals.Kill));
        }
        Assert.Equal(0, await h.Finished());
    }

    [Fact]
    public async Task The_run_ends_only_when_every_group_is_gone_not_when_the_leaders_have_exited()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");
        await h.RunAndWaitForStarts();
        var web = h.Launcher.Latest("web.1");

        h.Supervisor.RequestShutdown();
        await h.Settled();
        web.ExitLeavingGroup(Terminated);
        h.Launcher.Latest("worker.1").Exit(Terminated);
        await h.Settled();

        Assert.All(h.Instances, i => Assert.Equal(InstanceState.Stopped, i.State));
        Assert.False(h.Running.IsCompleted);

        // The leftovers are killed at the timeout, and the run still waits for them to be gone.
        h.Time.Advance(h.Options.StopTimeout);
        await Poll.Until(() => web.Received(Signals.Kill), "SIGKILL to what is left of web.1");
        await h.Settled();
        Assert.False(h.Running.IsCompleted);

        web.EndGroup();
        Assert.Equal(0, await h.Finished());
    }

    [Fact]
    public async Task A_shutdown_requested_before_the_run_starts_nothing()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");

        h.Supervisor.RequestShutdown();
        h.Run();

        Assert.Equal(0, await h.Finished());
        Assert.Empty(h.Launcher.Started);
        Assert.All(h.Instances, i => Assert.Equal(InstanceState.Stopped, i.State));
    }
}
