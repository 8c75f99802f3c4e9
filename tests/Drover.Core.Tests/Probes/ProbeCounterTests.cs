using Drover.Core.Probes;
using Drover.Core.Settings;

namespace Drover.Core.Tests.Probes;

public sealed class ProbeCounterTests
{
    private static ProbeCounter Counter(int successes, int failures) =>
        new(new ProbeSpec(new ProbeCheck.Tcp("127.0.0.1", 1)) { SuccessThreshold = successes, FailureThreshold = failures });

    [Fact]
    public void Undecided_until_a_threshold_is_reached()
    {
        var c = Counter(2, 3);

        Assert.False(c.Record(true));
        Assert.Null(c.Passing);
        Assert.False(c.Record(false));
        Assert.False(c.Record(false));
        Assert.Null(c.Passing);
        Assert.True(c.Record(false));
        Assert.False(c.Passing);
    }

    [Fact]
    public void Only_checks_in_a_row_count()
    {
        var c = Counter(2, 2);
        c.Record(true);
        c.Record(true);
        Assert.True(c.Passing);

        c.Record(false);
        c.Record(true);
        c.Record(false);
        Assert.True(c.Passing); // never two failures in a row

        Assert.True(c.Record(false));
        Assert.False(c.Passing);
        Assert.Equal(2, c.Failures);
        c.Record(true);
        Assert.False(c.Passing); // one success of two
        Assert.True(c.Record(true));
        Assert.True(c.Passing);
    }
}
