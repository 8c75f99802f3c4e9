using Drover.Core.Supervision;

namespace Drover.Core.Tests.Supervision;

public sealed class RestartBackoffTests
{
    private static readonly TimeSpan Crash = TimeSpan.FromMilliseconds(50);

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static List<TimeSpan> Delays(RestartBackoff backoff, int count, TimeSpan uptime) =>
        [.. Enumerable.Range(0, count).Select(_ => backoff.Next(uptime))];

    [Fact]
    public void The_defaults_are_100_ms_doubling_to_30_s_reset_after_10_s()
    {
        Assert.Equal(new BackoffOptions(Ms(100), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)), BackoffOptions.Default);
    }

    [Fact]
    public void The_first_restart_is_immediate_then_100_ms_doubling_up_to_the_30_s_cap()
    {
        var backoff = new RestartBackoff(BackoffOptions.Default);

        Assert.Equal(
            [
                TimeSpan.Zero, Ms(100), Ms(200), Ms(400), Ms(800), Ms(1600), Ms(3200), Ms(6400), Ms(12800), Ms(25600),
                TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30),
            ],
            Delays(backoff, 13, Crash));
    }

    [Fact]
    public void Consecutive_counts_the_restarts_in_a_row()
    {
        var backoff = new RestartBackoff(BackoffOptions.Default);
        Assert.Equal(0, backoff.Consecutive);

        backoff.Next(Crash);
        backoff.Next(Crash);
        backoff.Next(Crash);

        Assert.Equal(3, backoff.Consecutive);
    }

    [Fact]
    public void A_process_that_stayed_up_10_s_is_restarted_at_once_and_the_doubling_starts_over()
    {
        var backoff = new RestartBackoff(BackoffOptions.Default);
        Delays(backoff, 5, Crash);

        Assert.Equal(TimeSpan.Zero, backoff.Next(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, backoff.Consecutive);
        Assert.Equal([Ms(100), Ms(200)], Delays(backoff, 2, Crash));
    }

    [Fact]
    public void An_uptime_just_short_of_10_s_does_not_reset_the_delay()
    {
        var backoff = new RestartBackoff(BackoffOptions.Default);
        Delays(backoff, 3, Crash);

        Assert.Equal(Ms(400), backoff.Next(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void A_long_uptime_resets_even_a_capped_delay()
    {
        var backoff = new RestartBackoff(BackoffOptions.Default);
        Delays(backoff, 20, Crash);

        Assert.Equal(TimeSpan.Zero, backoff.Next(TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Huge_attempt_counts_saturate_at_the_cap()
    {
        var backoff = new RestartBackoff(BackoffOptions.Default);

        var delays = Delays(backoff, 100_000, Crash);

        Assert.Equal(100_000, backoff.Consecutive);
        Assert.All(delays.Skip(10), d => Assert.Equal(TimeSpan.FromSeconds(30), d));
    }

    [Fact]
    public void Huge_attempt_counts_saturate_even_when_the_cap_is_the_largest_timespan()
    {
        var backoff = new RestartBackoff(new BackoffOptions(Ms(100), TimeSpan.MaxValue, TimeSpan.FromSeconds(10)));

        var delays = Delays(backoff, 200, Crash);

        Assert.All(delays, d => Assert.True(d >= TimeSpan.Zero, $"negative delay {d}"));
        Assert.Equal(delays.Order(), delays);
        Assert.Equal(TimeSpan.MaxValue, delays[^1]);
    }

    [Fact]
    public void Custom_options_are_honoured()
    {
        var backoff = new RestartBackoff(new BackoffOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)));

        Assert.Equal(
            [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)],
            Delays(backoff, 5, TimeSpan.FromSeconds(59)));
        Assert.Equal(TimeSpan.Zero, backoff.Next(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_fixed_backoff_waits_the_same_before_every_restart_the_first_too()
    {
        var two = TimeSpan.FromSeconds(2);
        var backoff = new RestartBackoff(BackoffOptions.Default with { Initial = two, Max = two, Fixed = true });

        Assert.Equal([two, two, two, two], Delays(backoff, 4, Crash));
        Assert.Equal(two, backoff.Next(TimeSpan.FromMinutes(1)));
    }
}
