using Drover.Core.Probes;

namespace Drover.Core.Tests.Probes;

public sealed class ProbeGridTests
{
    // A clock whose timestamps are whole milliseconds, so the grid is easy to read.
    private sealed class MillisecondClock : TimeProvider
    {
        public override long TimestampFrequency => 1000;
    }

    private static readonly ProbeGrid Grid = new(TimeSpan.FromSeconds(1), new MillisecondClock());

    [Theory]
    [InlineData(0, 1000)]
    [InlineData(1, 2000)]
    [InlineData(999, 2000)]
    [InlineData(1000, 2000)]
    [InlineData(12345, 14000)]
    public void The_second_check_is_on_the_first_multiple_of_the_period_at_least_one_period_after_the_first(long first, long second) =>
        Assert.Equal(second, Grid.FirstAfter(first));

    [Fact]
    public void Probes_started_apart_share_their_checks_from_the_second_on()
    {
        long a = Grid.FirstAfter(100), b = Grid.FirstAfter(730);

        Assert.Equal(a, b);
        Assert.Equal(Grid.Next(a, a + 5), Grid.Next(b, b + 40));
    }

    [Fact]
    public void Then_one_period_apart_however_late_each_check_started_or_ended_within_it()
    {
        Assert.Equal(3000, Grid.Next(2000, 2000));
        Assert.Equal(3000, Grid.Next(2000, 2999));
    }

    [Fact]
    public void A_check_longer_than_its_period_is_followed_by_the_next_multiple_never_at_once_again()
    {
        Assert.Equal(3000, Grid.Next(2000, 3000));
        Assert.Equal(4000, Grid.Next(2000, 3001));
        Assert.Equal(5000, Grid.Next(2000, 4500));
    }
}
