using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Supervision;

/// <summary>
/// The process groups an instance holds until nothing of them is left (its group's lifetime, kept by
/// <see cref="Instance"/>): on the supervisor harness, fake processes and the fake clock. The instance is read
/// only once the loop has settled.
/// </summary>
public sealed class ProcessGroupLifetimeTests
{
    private static readonly TimeSpan OneMs = TimeSpan.FromMilliseconds(1);
    private static readonly ExitStatus Crash = ExitStatus.Exited(1);
    private static readonly ExitStatus Clean = ExitStatus.Exited(0);
    private static readonly ExitStatus Terminated = ExitStatus.Killed(Signals.Term);

    [Fact]
    public async Task A_group_seen_empty_before_its_leaders_exit_is_handled_is_gone_once_it_is_and_gets_no_SIGTERM()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        var first = h.Launcher.Latest("web.1");

        first.EndGroup();
        await h.Settled();
        Assert.Equal(InstanceState.Running, h["web.1"].State);
        Assert.Equal(GroupState.Emptied, h["web.1"].Group!.State);
        Assert.False(h["web.1"].HasLiveGroups);

        first.ExitLeavingGroup(Crash);
        await h.Started("web.1", 2);
        await h.Settled();

        Assert.Empty(first.SignalAttempts);
        Assert.DoesNotContain(h.Output.Stream.Lines(), l => l.Contains("what is left", StringComparison.Ordinal));
        var second = h.Launcher.Latest("web.1");
        Assert.Same(second, Assert.Single(h["web.1"].Groups).Process);
        Assert.Equal(GroupState.Leading, h["web.1"].Group!.State);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stop_request_completes_once_the_group_is_empty_and_the_exit_handled_in_either_order(bool emptiedFirst)
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        var web = h.Launcher.Latest("web.1");

        var stop = h.Supervisor.StopInstanceAsync(new InstanceName("web", 1));
        await Poll.Until(() => web.Received(Signals.Term), "SIGTERM to web.1");
        if (emptiedFirst)
        {
            web.EndGroup();
        }
        else
        {
            web.ExitLeavingGroup(Terminated);
        }
        await h.Settled();
        Assert.False(stop.IsCompleted);

        if (emptiedFirst)
        {
            web.ExitLeavingGroup(Terminated);
        }
        else
        {
            web.EndGroup();
        }
        await Poll.Completion(stop, "the stop request");

        await h.Settled();
        Assert.Equal(InstanceState.Stopped, h["web.1"].State);
        Assert.Empty(h["web.1"].Groups);
        Assert.Equal([Signals.Term], web.SignalAttempts);
    }

    [Fact]
    public async Task The_leftovers_of_two_crashed_processes_each_get_SIGKILL_at_their_own_deadline_and_the_new_process_none()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        var first = h.Launcher.Latest("web.1");
        var timeout = h.Options.StopTimeout;

        first.ExitLeavingGroup(Crash);
        await h.Started("web.1", 2);
        var second = h.Launcher.Latest("web.1");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Settled();
        second.ExitLeavingGroup(Crash);
        await h.Settled();
        h.Time.Advance(TimeSpan.FromMilliseconds(100)); // the second restart's delay
        await h.Started("web.1", 3);
        await h.Settled();
        var third = h.Launcher.Latest("web.1");

        var groups = h["web.1"].Groups;
        Assert.Equal([first, second, third], groups.Select(g => g.Process));
        Assert.Equal([GroupState.Lingering, GroupState.Lingering, GroupState.Leading], groups.Select(g => g.State));
        Assert.Same(third, h["web.1"].Group!.Process);

        // The first deadline: stop timeout after the first crash.
        h.Time.Advance(timeout - TimeSpan.FromMilliseconds(1100));
        await Poll.Until(() => first.Received(Signals.Kill), "SIGKILL to the first leftovers");
        await h.Settled();
        Assert.Equal([Signals.Term], second.Signals);

        // The second: stop timeout after the second crash.
        h.Time.Advance(TimeSpan.FromSeconds(1) - OneMs);
        await h.Settled();
        Assert.Equal([Signals.Term], second.Signals);
        h.Time.Advance(OneMs);
        await Poll.Until(() => second.Received(Signals.Kill), "SIGKILL to the second leftovers");
        Assert.Empty(third.SignalAttempts);
        await h.Shows($"sending SIGKILL to web.1 (process group {second.Pid})");

        first.EndGroup();
        second.EndGroup();
        await h.Settled();
        Assert.Same(third, Assert.Single(h["web.1"].Groups).Process);
        h.Supervisor.RequestShutdown();
        await Poll.Until(() => third.Received(Signals.Term), "SIGTERM at shutdown");
        third.Exit(Terminated);
        Assert.Equal(0, await h.Finished());
    }

    [Fact]
    public async Task Stopping_an_exited_instance_waits_for_every_group_its_processes_left()
    {
        await using var h = new SupervisorHarness(null, "web.1", "worker.1");
        await h.RunAndWaitForStarts();
        var first = h.Launcher.Latest("web.1");
        first.ExitLeavingGroup(Crash);
        await h.Started("web.1", 2);
        var second = h.Launcher.Latest("web.1");
        second.ExitLeavingGroup(Clean); // on-failure: not restarted
        await h.InState("web.1", InstanceState.Exited);

        var stop = h.Supervisor.StopInstanceAsync(new InstanceName("web", 1));
        await h.Settled();
        first.EndGroup();
        await h.Settled();
        Assert.False(stop.IsCompleted);
        second.EndGroup();
        await Poll.Completion(stop, "the stop request");

        await h.Settled();
        Assert.Empty(h["web.1"].Groups);
        Assert.Equal(InstanceState.Exited, h["web.1"].State);
    }

    [Fact]
    public async Task A_replacement_takes_over_what_the_instance_it_replaces_left_and_the_run_waits_for_it()
    {
        await using var h = new SupervisorHarness(null, "web.1");
        await h.RunAndWaitForStarts();
        var old = h.Launcher.Latest("web.1");
        old.ExitLeavingGroup(Clean);
        await h.InState("web.1", InstanceState.Exited);
        await Assert.ThrowsAsync<ControlException>(() => h.Supervisor.RemoveInstanceAsync(new InstanceName("web", 1)));

        var name = new InstanceName("web", 1);
        var spec = new ProcessSpec("web.1", "run web v2", "/app", new Dictionary<string, string>());
        var replacement = new Instance(name, spec, new OutputSource("web.1", 0), h.Options.Backoff);
        await h.Supervisor.StartInstanceAsync(name, replacement);
        await h.Started("web.1", 2);
        var next = h.Launcher.Latest("web.1");
        await h.Settled();
        Assert.Equal([old, next], replacement.Groups.Select(g => g.Process));
        Assert.Empty(h["web.1"].Groups);

        // The leftovers keep their deadline and are killed under the name.
        h.Time.Advance(h.Options.StopTimeout);
        await Poll.Until(() => old.Received(Signals.Kill), "SIGKILL to the old leftovers");
        await h.Shows($"sending SIGKILL to web.1 (process group {old.Pid})");

        h.Supervisor.RequestShutdown();
        await Poll.Until(() => next.Received(Signals.Term), "SIGTERM at shutdown");
        next.Exit(Terminated);
        await h.Settled();
        Assert.False(h.Running.IsCompleted);
        old.EndGroup();
        Assert.Equal(0, await h.Finished());
    }
}
