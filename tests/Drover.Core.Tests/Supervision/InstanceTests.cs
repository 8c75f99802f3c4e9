using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Core.Tests.Supervision;

public sealed class InstanceTests
{
    /// <summary>The calls the supervisor makes on an instance.</summary>
    public enum Trigger
    {
        Started,
        StartFailed,
        ExitedToBackoff,
        ExitedToExited,
        ExitedToStopped,
        Stopping,
        StoppedIdle,
        Waits,
    }

    private static readonly DateTimeOffset Now = TestClock.Epoch;
    private static readonly ProcessSpec Spec = new("web.1", "run web", "/app", new Dictionary<string, string>());
    private static int s_pid = 100;

    private static Instance NewInstance() =>
        new(new InstanceName("web", 1), Spec, new OutputSource("web.1", 0), BackoffOptions.Default);

    private static FakeProcess NewProcess() => new(Spec, NullSink.Instance, Interlocked.Increment(ref s_pid));

    private static Instance InState(InstanceState state)
    {
        var instance = NewInstance();
        switch (state)
        {
            case InstanceState.Running:
                instance.Started(NewProcess(), Now);
                break;
            case InstanceState.Backoff:
                instance.Started(NewProcess(), Now);
                instance.ProcessExited(ExitStatus.Exited(1), InstanceState.Backoff);
                break;
            case InstanceState.Exited:
                instance.Started(NewProcess(), Now);
                instance.ProcessExited(ExitStatus.Exited(0), InstanceState.Exited);
                break;
            case InstanceState.Stopping:
                instance.Started(NewProcess(), Now);
                instance.Stopping();
                break;
            case InstanceState.Stopped:
                instance.StoppedIdle();
                break;
            case InstanceState.Waiting:
                instance.Waits(["db"]);
                break;
        }
        Assert.Equal(state, instance.State);
        return instance;
    }

    private static void Apply(Instance instance, Trigger call)
    {
        switch (call)
        {
            case Trigger.Started:
                instance.Started(NewProcess(), Now);
                break;
            case Trigger.StartFailed:
                instance.StartFailed(ExitStatus.Exited(127));
                break;
            case Trigger.ExitedToBackoff:
                instance.ProcessExited(ExitStatus.Exited(1), InstanceState.Backoff);
                break;
            case Trigger.ExitedToExited:
                instance.ProcessExited(ExitStatus.Exited(1), InstanceState.Exited);
                break;
            case Trigger.ExitedToStopped:
                instance.ProcessExited(ExitStatus.Killed(Signals.Term), InstanceState.Stopped);
                break;
            case Trigger.Waits:
                instance.Waits(["db"]);
                break;
            case Trigger.Stopping:
                instance.Stopping();
                break;
            case Trigger.StoppedIdle:
                instance.StoppedIdle();
                break;
        }
    }

    [Fact]
    public void A_new_instance_is_pending_without_a_process()
    {
        var instance = NewInstance();

        Assert.Equal(InstanceState.Pending, instance.State);
        Assert.Null(instance.Process);
        Assert.Null(instance.LastExit);
        Assert.Equal(0, instance.Generation);
        Assert.Equal(0, instance.Restarts);
        Assert.False(instance.IsTerminal);
        Assert.Equal("web.1 (Pending)", instance.ToString());
    }

    [Fact]
    public void Starting_records_the_process_and_the_time_and_bumps_the_generation()
    {
        var instance = NewInstance();
        var process = NewProcess();

        instance.Started(process, Now);

        Assert.Equal(InstanceState.Running, instance.State);
        Assert.Same(process, instance.Process);
        Assert.Equal(Now, instance.StartedAt);
        Assert.Equal(1, instance.Generation);
        Assert.Equal(0, instance.Restarts);
    }

    [Fact]
    public void An_exit_records_the_status_and_forgets_the_process()
    {
        var instance = InState(InstanceState.Running);

        instance.ProcessExited(ExitStatus.Killed(Signals.Kill), InstanceState.Backoff);

        Assert.Equal(InstanceState.Backoff, instance.State);
        Assert.Equal(ExitStatus.Killed(Signals.Kill), instance.LastExit);
        Assert.Null(instance.Process);
        Assert.False(instance.IsTerminal);
    }

    [Theory]
    [InlineData(InstanceState.Pending, false)]
    [InlineData(InstanceState.Running, false)]
    [InlineData(InstanceState.Backoff, false)]
    [InlineData(InstanceState.Stopping, false)]
    [InlineData(InstanceState.Stopped, true)]
    [InlineData(InstanceState.Exited, true)]
    [InlineData(InstanceState.Waiting, false)]
    public void Only_stopped_and_exited_are_terminal(InstanceState state, bool terminal)
    {
        Assert.Equal(terminal, InState(state).IsTerminal);
    }

    [Theory]
    [InlineData(InstanceState.Pending, Trigger.Started, InstanceState.Running)]
    [InlineData(InstanceState.Pending, Trigger.StartFailed, InstanceState.Backoff)]
    [InlineData(InstanceState.Pending, Trigger.StoppedIdle, InstanceState.Stopped)]
    [InlineData(InstanceState.Running, Trigger.ExitedToBackoff, InstanceState.Backoff)]
    [InlineData(InstanceState.Running, Trigger.ExitedToExited, InstanceState.Exited)]
    [InlineData(InstanceState.Running, Trigger.Stopping, InstanceState.Stopping)]
    [InlineData(InstanceState.Backoff, Trigger.Started, InstanceState.Running)]
    [InlineData(InstanceState.Backoff, Trigger.StartFailed, InstanceState.Backoff)]
    [InlineData(InstanceState.Backoff, Trigger.StoppedIdle, InstanceState.Stopped)]
    [InlineData(InstanceState.Stopping, Trigger.ExitedToStopped, InstanceState.Stopped)]
    [InlineData(InstanceState.Stopping, Trigger.ExitedToBackoff, InstanceState.Backoff)]
    [InlineData(InstanceState.Pending, Trigger.Waits, InstanceState.Waiting)]
    [InlineData(InstanceState.Stopped, Trigger.Waits, InstanceState.Waiting)]
    [InlineData(InstanceState.Exited, Trigger.Waits, InstanceState.Waiting)]
    [InlineData(InstanceState.Waiting, Trigger.Started, InstanceState.Running)]
    [InlineData(InstanceState.Waiting, Trigger.StoppedIdle, InstanceState.Stopped)]
    [InlineData(InstanceState.Stopped, Trigger.Started, InstanceState.Running)]
    [InlineData(InstanceState.Stopped, Trigger.StartFailed, InstanceState.Backoff)]
    [InlineData(InstanceState.Exited, Trigger.Started, InstanceState.Running)]
    [InlineData(InstanceState.Exited, Trigger.StartFailed, InstanceState.Backoff)]
    public void Legal_transitions_move_the_state(InstanceState from, Trigger call, InstanceState to)
    {
        var instance = InState(from);

        Apply(instance, call);

        Assert.Equal(to, instance.State);
    }

    [Theory]
    [InlineData(InstanceState.Pending, Trigger.ExitedToExited)]
    [InlineData(InstanceState.Pending, Trigger.Stopping)]
    [InlineData(InstanceState.Running, Trigger.Started)]
    [InlineData(InstanceState.Running, Trigger.ExitedToStopped)]
    [InlineData(InstanceState.Running, Trigger.StoppedIdle)]
    [InlineData(InstanceState.Backoff, Trigger.ExitedToExited)]
    [InlineData(InstanceState.Backoff, Trigger.Stopping)]
    [InlineData(InstanceState.Stopping, Trigger.Started)]
    [InlineData(InstanceState.Stopping, Trigger.StartFailed)]
    [InlineData(InstanceState.Running, Trigger.Waits)]
    [InlineData(InstanceState.Backoff, Trigger.Waits)]
    [InlineData(InstanceState.Stopping, Trigger.Waits)]
    [InlineData(InstanceState.Waiting, Trigger.Waits)]
    [InlineData(InstanceState.Waiting, Trigger.Stopping)]
    [InlineData(InstanceState.Waiting, Trigger.ExitedToExited)]
    [InlineData(InstanceState.Stopping, Trigger.ExitedToExited)]
    [InlineData(InstanceState.Stopping, Trigger.Stopping)]
    [InlineData(InstanceState.Stopped, Trigger.ExitedToExited)]
    [InlineData(InstanceState.Stopped, Trigger.ExitedToStopped)]
    [InlineData(InstanceState.Stopped, Trigger.Stopping)]
    [InlineData(InstanceState.Stopped, Trigger.StoppedIdle)]
    [InlineData(InstanceState.Exited, Trigger.ExitedToExited)]
    [InlineData(InstanceState.Exited, Trigger.ExitedToStopped)]
    [InlineData(InstanceState.Exited, Trigger.Stopping)]
    [InlineData(InstanceState.Exited, Trigger.StoppedIdle)]
    public void Illegal_transitions_throw_and_leave_the_state_alone(InstanceState from, Trigger call)
    {
        var instance = InState(from);

        var error = Assert.Throws<InvalidOperationException>(() => Apply(instance, call));

        Assert.Equal(from, instance.State);
        Assert.StartsWith($"web.1: illegal transition {from} -> ", error.Message);
    }

    [Fact]
    public void A_refused_transition_changes_nothing()
    {
        var instance = InState(InstanceState.Stopping);
        var process = instance.Process;
        int generation = instance.Generation;

        Assert.Throws<InvalidOperationException>(() => instance.StartFailed(ExitStatus.Exited(127)));

        Assert.Equal(0, instance.Restarts);
        Assert.Equal(generation, instance.Generation);
        Assert.Same(process, instance.Process);
    }

    [Theory]
    [InlineData(InstanceState.Pending, Trigger.ExitedToBackoff)]
    [InlineData(InstanceState.Pending, Trigger.ExitedToStopped)]
    [InlineData(InstanceState.Backoff, Trigger.ExitedToBackoff)]
    [InlineData(InstanceState.Backoff, Trigger.ExitedToStopped)]
    [InlineData(InstanceState.Exited, Trigger.ExitedToBackoff)]
    [InlineData(InstanceState.Stopped, Trigger.ExitedToBackoff)]
    [InlineData(InstanceState.Running, Trigger.StartFailed)]
    [InlineData(InstanceState.Stopping, Trigger.StoppedIdle)]
    public void A_call_that_makes_no_sense_in_the_state_is_refused(InstanceState from, Trigger call)
    {
        // An exit is reported only for a running (or stopping) process; a failed start and an idle stop only
        // happen when no process runs.
        var instance = InState(from);

        Assert.Throws<InvalidOperationException>(() => Apply(instance, call));
        Assert.Equal(from, instance.State);
    }

    [Fact]
    public void Restarts_count_starts_after_an_exit_but_not_a_start_after_a_stop()
    {
        var instance = NewInstance();

        instance.Started(NewProcess(), Now);
        Assert.Equal(0, instance.Restarts);

        instance.ProcessExited(ExitStatus.Exited(1), InstanceState.Backoff);
        instance.Started(NewProcess(), Now);
        Assert.Equal(1, instance.Restarts);

        instance.ProcessExited(ExitStatus.Exited(0), InstanceState.Exited);
        instance.Started(NewProcess(), Now);
        Assert.Equal(2, instance.Restarts);

        instance.Stopping();
        instance.ProcessExited(ExitStatus.Killed(Signals.Term), InstanceState.Stopped);
        instance.Started(NewProcess(), Now);
        Assert.Equal(2, instance.Restarts);
        Assert.Equal(4, instance.Generation);
    }

    [Fact]
    public void A_failed_first_start_is_not_a_restart_but_a_failed_retry_is()
    {
        var instance = NewInstance();

        instance.StartFailed(ExitStatus.Exited(127));
        Assert.Equal(InstanceState.Backoff, instance.State);
        Assert.Equal(0, instance.Restarts);
        Assert.Equal(1, instance.Generation);
        Assert.Equal(ExitStatus.Exited(127), instance.LastExit);

        instance.StartFailed(ExitStatus.Exited(127));
        Assert.Equal(1, instance.Restarts);
        Assert.Equal(2, instance.Generation);
    }

    [Fact]
    public void A_failed_start_counts_as_an_exit_with_code_127_and_may_end_the_instance()
    {
        var instance = InState(InstanceState.Exited);

        instance.StartFailed(ExitStatus.Exited(127), InstanceState.Exited);

        Assert.Equal(ExitStatus.Exited(127), instance.LastExit);
        Assert.Equal(InstanceState.Exited, instance.State);
        Assert.Throws<InvalidOperationException>(() => instance.StartFailed(ExitStatus.Exited(127), InstanceState.Stopped));
    }

    [Fact]
    public void Stopping_an_idle_instance_cancels_its_restart_timer()
    {
        var time = new FakeTimeProvider();
        int fired = 0;
        var instance = InState(InstanceState.Backoff);
        instance.RestartTimer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        instance.StoppedIdle();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(InstanceState.Stopped, instance.State);
        Assert.Null(instance.RestartTimer);
        Assert.Equal(0, fired);
    }
}
