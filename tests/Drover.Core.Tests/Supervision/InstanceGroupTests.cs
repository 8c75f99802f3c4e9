using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Supervision;

/// <summary>The moves of an instance's process groups (the table <c>GroupLegal</c> beside the instance's own).</summary>
public sealed class InstanceGroupTests
{
    private static readonly DateTimeOffset Now = TestClock.Epoch;
    private static readonly ProcessSpec Spec = new("web.1", "run web", "/app", new Dictionary<string, string>());
    private static int s_pid = 5000;

    private static Instance NewInstance() =>
        new(new InstanceName("web", 1), Spec, new OutputSource("web.1", 0), BackoffOptions.Default);

    private static FakeProcess NewProcess() => new(Spec, NullSink.Instance, Interlocked.Increment(ref s_pid));

    private static (Instance Instance, ProcessGroup Group) Running()
    {
        var instance = NewInstance();
        instance.Started(NewProcess(), Now);
        return (instance, instance.Group!);
    }

    [Fact]
    public void A_started_process_leads_a_group_of_its_own()
    {
        var (instance, group) = Running();

        Assert.Equal(GroupState.Leading, group.State);
        Assert.Same(instance.Process, group.Process);
        Assert.Same(group, Assert.Single(instance.Groups));
        Assert.True(instance.HasLiveGroups);
    }

    [Fact]
    public void After_its_leaders_exit_a_group_lingers_until_it_is_seen_empty_then_it_is_gone()
    {
        var (instance, group) = Running();

        instance.ProcessExited(ExitStatus.Exited(1), InstanceState.Exited);
        Assert.Equal(GroupState.Lingering, group.State);
        Assert.Null(instance.Group);
        Assert.True(instance.HasLiveGroups);
        var gone = group.WhenGone();
        Assert.False(gone.IsCompleted);

        instance.GroupEmptied(group);
        Assert.Equal(GroupState.Gone, group.State);
        Assert.Empty(instance.Groups);
        Assert.False(instance.HasLiveGroups);
        Assert.True(gone.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_group_seen_empty_before_its_leaders_exit_is_handled_is_gone_at_the_exit()
    {
        var (instance, group) = Running();

        instance.GroupEmptied(group);
        Assert.Equal(GroupState.Emptied, group.State);
        Assert.False(instance.HasLiveGroups);
        Assert.Same(group, instance.Group);
        var gone = group.WhenGone();
        Assert.False(gone.IsCompleted);

        instance.ProcessExited(ExitStatus.Exited(0), InstanceState.Exited);
        Assert.Equal(GroupState.Gone, group.State);
        Assert.Empty(instance.Groups);
        Assert.True(gone.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_group_seen_empty_twice_is_an_illegal_move_and_changes_nothing()
    {
        var (instance, group) = Running();
        instance.GroupEmptied(group);

        var e = Assert.Throws<InvalidOperationException>(() => instance.GroupEmptied(group));
        Assert.Contains("illegal move Emptied -> Gone", e.Message, StringComparison.Ordinal);
        Assert.Equal(GroupState.Emptied, group.State);
        Assert.Same(group, Assert.Single(instance.Groups));
    }

    [Fact]
    public void Another_instances_group_cannot_be_moved()
    {
        var (_, group) = Running();
        var other = NewInstance();

        Assert.Throws<InvalidOperationException>(() => other.GroupEmptied(group));
        Assert.Equal(GroupState.Leading, group.State);
    }

    [Fact]
    public void A_new_process_leads_a_new_group_while_the_last_ones_leftovers_linger()
    {
        var (instance, first) = Running();
        instance.ProcessExited(ExitStatus.Exited(1), InstanceState.Backoff);

        instance.Started(NewProcess(), Now);

        var second = instance.Group!;
        Assert.NotSame(first, second);
        Assert.Equal([first, second], instance.Groups);
        Assert.Equal([GroupState.Lingering, GroupState.Leading], instance.Groups.Select(g => g.State));
        instance.GroupEmptied(first);
        Assert.Same(second, Assert.Single(instance.Groups));
    }

    [Fact]
    public void A_stop_commands_group_is_held_until_it_is_seen_empty()
    {
        var (instance, _) = Running();
        var stopper = instance.StopCommandStarted(NewProcess());

        Assert.Equal(GroupState.StopCommand, stopper.State);
        Assert.Equal(2, instance.Groups.Count);
        instance.GroupEmptied(stopper);
        Assert.Equal(GroupState.Gone, stopper.State);
        Assert.Single(instance.Groups);
    }

    [Fact]
    public void A_deadline_fires_once_at_its_timeout_and_a_second_arm_keeps_the_first()
    {
        var time = TestClock.Create();
        var (instance, group) = Running();
        var due = new List<ProcessGroup>();

        instance.ArmDeadline(group, time, TimeSpan.FromSeconds(5), due.Add);
        time.Advance(TimeSpan.FromSeconds(2));
        instance.ArmDeadline(group, time, TimeSpan.FromSeconds(5), due.Add);
        time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1));
        Assert.Empty(due);
        time.Advance(TimeSpan.FromTicks(1));

        Assert.Same(group, Assert.Single(due));
    }

    [Fact]
    public void A_group_seen_empty_disarms_its_deadline()
    {
        var time = TestClock.Create();
        var (instance, group) = Running();
        var due = new List<ProcessGroup>();
        instance.ArmDeadline(group, time, TimeSpan.FromSeconds(5), due.Add);

        instance.GroupEmptied(group);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Empty(due);
        Assert.Null(group.Deadline);
    }

    [Fact]
    public void A_replacement_takes_over_the_leftovers_and_moves_them_from_then_on()
    {
        var (previous, group) = Running();
        previous.ProcessExited(ExitStatus.Exited(0), InstanceState.Exited);
        var replacement = NewInstance();

        replacement.TakeOverGroups(previous);

        Assert.Empty(previous.Groups);
        Assert.Same(group, Assert.Single(replacement.Groups));
        Assert.Throws<InvalidOperationException>(() => previous.GroupEmptied(group));
        replacement.GroupEmptied(group);
        Assert.Empty(replacement.Groups);
    }

    [Fact]
    public async Task When_the_formation_is_over_whoever_waits_for_a_group_is_told_and_its_deadline_disarmed()
    {
        var time = TestClock.Create();
        var (instance, group) = Running();
        var due = new List<ProcessGroup>();
        instance.ArmDeadline(group, time, TimeSpan.FromSeconds(5), due.Add);
        var gone = group.WhenGone();

        instance.AbandonGroups(new ControlException("the formation has stopped", ControlError.Conflict));
        time.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<ControlException>(() => gone);
        Assert.Empty(due);
    }
}
