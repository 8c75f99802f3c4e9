using Drover.Core.Output;
using Drover.Core.Supervision;

namespace Drover.Core.Tests.Output;

public sealed class PrefixRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 14, 5, 9, TimeSpan.Zero);

    [Fact]
    public void The_plain_prefix_is_time_name_padded_to_the_width_and_a_bar()
    {
        Assert.Equal("14:05:09 web.1    | ", PrefixFormatter.Plain(At, "web.1", 8));
        Assert.Equal("web.1    | ", PrefixFormatter.Plain(null, "web.1", 8));
    }

    [Fact]
    public void Names_are_never_padded_to_less_than_system()
    {
        Assert.Equal("14:05:09 web.1  | ", PrefixFormatter.Plain(At, "web.1", 0));
        Assert.Equal(6, NameWidth.Of([]));
        Assert.Equal(9, NameWidth.Of(["web.1", "worker.10"]));
    }

    [Fact]
    public async Task Stdout_uses_the_same_rule_as_the_plain_prefix_when_colors_are_off()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(At);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        await using var capture = new Support.OutputCapture(nameWidth: 8, timestamps: true, time: clock);

        capture.Hub.Line(new OutputSource("web.1", 0), "hello");
        capture.Hub.System("note");
        await capture.Hub.DisposeAsync();

        Assert.Equal(
            PrefixFormatter.Plain(At, "web.1", 8) + "hello\n" + PrefixFormatter.Plain(At, "system", 8) + "note\n",
            capture.Stream.Text);
    }

    [Theory]
    [InlineData(false, false, null, true, true)]
    [InlineData(false, false, null, false, false)]
    [InlineData(false, false, "1", true, false)]
    [InlineData(false, true, "1", false, true)]
    [InlineData(true, true, null, true, false)]
    [InlineData(false, false, "", true, true)]
    public void Colors_are_on_for_a_terminal_without_NO_COLOR_forced_by_color_and_off_with_no_color(
        bool noColor, bool force, string? noColorVariable, bool terminal, bool expected) =>
        Assert.Equal(expected, ColorChoice.Decide(noColor, force, noColorVariable, terminal));

    [Theory]
    [InlineData("on-failure", RestartPolicy.OnFailure)]
    [InlineData("always", RestartPolicy.Always)]
    [InlineData("never", RestartPolicy.Never)]
    [InlineData("sometimes", null)]
    public void Restart_policies_have_one_spelling(string name, RestartPolicy? expected)
    {
        Assert.Equal(expected, RestartPolicyNames.Parse(name));
        Assert.Equal(expected is not null, RestartPolicyNames.All.Contains(name));
    }
}
