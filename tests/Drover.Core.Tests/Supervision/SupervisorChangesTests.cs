using Drover.Core.Control;
using Drover.Core.Supervision;
using Drover.Core.Supervision.Events;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Supervision;

public sealed class SupervisorChangesTests
{
    private static readonly ExitStatus Crash = ExitStatus.Exited(1);

    private static async Task<List<SupervisorChange>> Take(ChangeSubscription s, int count)
    {
        var taken = new List<SupervisorChange>();
        while (taken.Count < count)
        {
            taken.Add(await Poll.Completion(s.Changes.ReadAsync().AsTask(), $"change {taken.Count + 1} of {count}"));
        }
        return taken;
    }

    [Fact]
    public async Task A_subscriber_gets_the_state_when_it_subscribed_and_then_every_change_in_order()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        using var s = await h.Supervisor.SubscribeAsync();

        var web = Assert.Single(s.Snapshot);
        Assert.Equal(("web.1", InstanceState.Running, (int?)1000), (web.Name, web.State, web.Pid));
        Assert.Equal(FormationPhase.Running, s.Phase);

        h.Launcher.Latest("web.1").Exit(Crash);
        var changes = await Take(s, 3);

        var exited = Assert.IsType<InstanceChanged>(changes[0]);
        Assert.Equal((InstanceState.Running, InstanceState.Backoff, ChangeReason.Exited), (exited.From, exited.To, exited.Reason));
        Assert.Equal(Crash, exited.Instance.LastExit);
        Assert.Null(exited.Instance.Pid);
        var scheduled = Assert.IsType<RestartScheduled>(changes[1]);
        Assert.Equal(("web.1", TimeSpan.Zero), (scheduled.Name, scheduled.Delay));
        var started = Assert.IsType<InstanceChanged>(changes[2]);
        Assert.Equal((InstanceState.Backoff, InstanceState.Running, ChangeReason.Started), (started.From, started.To, started.Reason));
        Assert.Equal((1001, 1), (started.Instance.Pid, started.Instance.Restarts));
    }

    [Fact]
    public async Task Shutdown_moves_the_phase_through_terminating_and_killing_to_done_and_ends_the_changes()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        using var s = await h.Supervisor.SubscribeAsync();

        h.Supervisor.RequestShutdown();
        await h.InState("web.1", InstanceState.Stopping);
        h.Time.Advance(h.Options.StopTimeout);
        await Poll.Until(() => h.Launcher.Latest("web.1").Received(Signals.Kill), "SIGKILL");
        h.Launcher.Latest("web.1").Exit(ExitStatus.Killed(Signals.Kill));
        Assert.Equal(0, await h.Finished());

        var phases = new List<(FormationPhase, FormationPhase)>();
        await foreach (var c in s.Changes.ReadAllAsync())
        {
            if (c is PhaseChanged p)
            {
                phases.Add((p.From, p.To));
            }
        }
        Assert.Equal(
            [(FormationPhase.Running, FormationPhase.Terminating), (FormationPhase.Terminating, FormationPhase.Killing), (FormationPhase.Killing, FormationPhase.Done)],
            phases);
    }

    [Fact]
    public async Task Kill_now_skips_the_grace_period()
    {
        await using var h = new SupervisorHarness(null, "web.1", "web.2");
        await h.RunAndWaitForStarts();
        using var s = await h.Supervisor.SubscribeAsync();

        h.Supervisor.RequestShutdown(ShutdownMode.KillNow);
        await Poll.Until(() => h.Launcher.Started.All(p => p.Received(Signals.Kill)), "SIGKILL to every group");

        Assert.All(h.Launcher.Started, p => Assert.False(p.Received(Signals.Term)));
        var phase = (await Take(s, 3)).OfType<PhaseChanged>().Single();
        Assert.Equal((FormationPhase.Running, FormationPhase.Killing), (phase.From, phase.To));
    }

    [Fact]
    public async Task A_subscriber_that_falls_behind_is_dropped_while_the_supervisor_and_the_others_go_on()
    {
        await using var h = new SupervisorHarness(null, "web.1", "web.2", "web.3");
        await h.RunAndWaitForStarts();
        using var slow = await h.Supervisor.SubscribeAsync(capacity: 2);
        using var reader = await h.Supervisor.SubscribeAsync();

        // Three instances stopping, the phase, a notice, three exits and the end: far more than 2.
        h.Supervisor.RequestShutdown();
        await h.InState("web.3", InstanceState.Stopping);
        foreach (var p in h.Launcher.Started)
        {
            p.Exit(ExitStatus.Killed(Signals.Term));
        }
        Assert.Equal(0, await h.Finished());

        Assert.Equal(2, (await Take(slow, 2)).Count);
        await Assert.ThrowsAsync<SubscriberTooSlowException>(async () =>
        {
            await foreach (var _ in slow.Changes.ReadAllAsync())
            {
            }
        });
        int seen = 0;
        await foreach (var _ in reader.Changes.ReadAllAsync())
        {
            seen++;
        }
        Assert.True(seen > 2, $"the reading subscriber saw {seen} changes");
    }

    [Fact]
    public async Task Subscribing_after_the_formation_is_over_is_refused()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        h.Launcher.Latest("web.1").Exit(ExitStatus.Exited(0));
        await h.Finished();

        await Assert.ThrowsAsync<ControlException>(() => h.Supervisor.SubscribeAsync());
    }

    [Fact]
    public async Task A_view_that_subscribes_while_processes_crash_misses_nothing()
    {
        // Repeated: a change published between the snapshot and the subscription would leave the view behind.
        var options = SupervisorOptions.Default with { Backoff = SupervisorOptions.Default.Backoff with { Initial = TimeSpan.Zero } };
        const int Rounds = 30;
        int matched = 0;
        for (int round = 0; round < Rounds; round++)
        {
            await using var h = new SupervisorHarness(options, "web.1", "web.2");
            await h.RunAndWaitForStarts();
            var crashing = Task.Run(async () =>
            {
                for (int k = 0; k < 5; k++)
                {
                    var latest = h.Launcher.Latest("web.1");
                    latest.Exit(Crash);
                    await h.Started("web.1", k + 2);
                }
            });
            using var view = FormationView.Follow(h.Supervisor);
            await crashing;
            await view.CaughtUpAsync();

            var truth = await h.Supervisor.SnapshotAsync();
            if ((await view.CurrentAsync()).SequenceEqual(truth))
            {
                matched++;
            }
        }
        Assert.Equal(Rounds, matched);
    }
}
