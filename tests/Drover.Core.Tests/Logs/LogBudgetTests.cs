using Drover.Core.Logs;

namespace Drover.Core.Tests.Logs;

public sealed class LogBudgetTests
{
    private static LogFileName Rotated(string log, long seq) => new(log, seq, false);

    [Fact]
    public void Room_is_made_by_deleting_the_oldest_rotated_files_of_any_log()
    {
        var budget = new LogBudget(new LogRotation(null, false, 10, false, 1000));
        budget.Set(Rotated("web.1", 3), 200);
        budget.Set(Rotated("web.2", 1), 300);
        budget.Set(Rotated("web.1", 2), 100);
        budget.Set(LogFileName.Active("web.1"), 300);

        Assert.True(budget.TryMakeRoom(100, out var none));
        Assert.Empty(none);
        Assert.True(budget.TryMakeRoom(450, out var victims));
        Assert.Equal([Rotated("web.2", 1), Rotated("web.1", 2)], victims);
        Assert.Equal(3, budget.LastSequence);
    }

    [Fact]
    public void When_deleting_every_rotated_file_is_not_enough_it_says_so_and_names_the_largest_active_log()
    {
        var budget = new LogBudget(new LogRotation(null, false, 10, false, 1000));
        budget.Set(Rotated("a.1", 1), 100);
        budget.Set(LogFileName.Active("a.1"), 400);
        budget.Set(LogFileName.Active("drover"), 450);

        Assert.False(budget.TryMakeRoom(600, out var victims));
        Assert.Equal([Rotated("a.1", 1)], victims);
        Assert.Equal(LogFileName.Active("drover"), budget.LargestActive());
    }

    [Fact]
    public void The_spared_rotation_is_never_a_victim()
    {
        var budget = new LogBudget(new LogRotation(null, false, 10, false, 1000));
        budget.Set(Rotated("a.1", 1), 600);
        budget.Set(Rotated("a.1", 2) with { Gzip = true }, 300);

        Assert.False(budget.TryMakeRoom(500, out var victims, spare: 1));
        Assert.Equal([Rotated("a.1", 2) with { Gzip = true }], victims);
    }

    [Fact]
    public void Rotated_files_beyond_the_count_kept_are_the_oldest_of_that_log()
    {
        var budget = new LogBudget(new LogRotation(null, false, 2, false, null));
        foreach (long seq in new long[] { 5, 1, 9, 3 })
        {
            budget.Set(Rotated("web.1", seq), 10);
        }
        budget.Set(Rotated("web.2", 2), 10);

        Assert.Equal([Rotated("web.1", 1), Rotated("web.1", 3)], budget.BeyondKeep("web.1"));
        Assert.Empty(budget.BeyondKeep("web.2"));
        Assert.Equal(50, budget.Total);
        budget.Remove(Rotated("web.1", 1));
        Assert.Equal(40, budget.Total);
    }
}
