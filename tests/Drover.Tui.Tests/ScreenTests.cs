using System.Text.RegularExpressions;
using Drover.Tui.Feed;
using Drover.Tui.Model;
using Drover.Tui.View;

namespace Drover.Tui.Tests;

/// <summary>The layout as text: every size fills the terminal exactly; the readiness column comes with the field.</summary>
public sealed partial class ScreenTests
{
    private const string Frame =
        """{"at":1,"sample":true,"phase":"running","types":["web","worker"],"processes":[""" +
        """{"name":"web.1","type":"web","index":1,"state":"running","pid":42,"uptimeSeconds":75,"restarts":1,"port":5000,"cpuPercent":1.5,"rssBytes":12582912,"command":"perl web.pl"},""" +
        """{"name":"web.2","type":"web","index":2,"state":"backoff","pid":null,"uptimeSeconds":null,"restarts":3,"port":5001,"cpuPercent":null,"rssBytes":null,"command":"perl web.pl"}]}""";

    private static TuiState State(string frame = Frame)
    {
        var state = new TuiState(100) { Frame = FormationFrame.Parse(frame) };
        state.Log.Add(["12:00:00 web.1 | hello", "12:00:01 web.2 | world"]);
        return state;
    }

    private static string Plain(string line) => Escapes().Replace(line, "");

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    [InlineData(40, 10)]
    [InlineData(20, 3)]
    public void Every_row_is_exactly_the_width_and_there_are_exactly_the_rows(int columns, int rows)
    {
        var lines = Renderer.Render(State(), rows, columns, new Styles(color: true), "demo", ownsFormation: false);
        Assert.Equal(rows, lines.Count);
        Assert.All(lines, l => Assert.Equal(columns, Plain(l).Length));
    }

    [Fact]
    public void The_table_shows_each_instance_and_a_type_without_instances()
    {
        string screen = string.Join('\n', Renderer.Render(State(), 24, 80, new Styles(color: false), "demo", false).Select(Plain));
        Assert.Matches(@">web\.1 +running +42 +1m15s +1 +5000 +1\.5 +12\.0M perl web\.pl", screen);
        Assert.Matches(@" web\.2 +backoff +- +- +3 +5001 +- +- perl web\.pl", screen);
        Assert.Matches(@" worker +\(none\)", screen);
        Assert.Contains("1/2 running", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("READY", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void A_readiness_field_is_one_more_column()
    {
        // The rows as the control API writes them with probes (docs/control-api.md): `status` says more than `state`.
        string frame = Frame.Replace("\"state\":\"running\",\"pid\":42", "\"state\":\"waiting\",\"pid\":42", StringComparison.Ordinal)
            .Replace("\"command\":\"perl web.pl\"},", "\"command\":\"perl web.pl\",\"ready\":false,\"waitingFor\":[\"db\"],\"status\":\"waiting (db)\"},", StringComparison.Ordinal)
            .Replace("\"state\":\"backoff\"", "\"state\":\"running\"", StringComparison.Ordinal)
            .Replace("\"restarts\":3,", "\"restarts\":3,\"ready\":true,\"status\":\"running (ready)\",", StringComparison.Ordinal);
        string screen = string.Join('\n', Renderer.Render(State(frame), 24, 100, new Styles(color: false), "demo", false).Select(Plain));
        Assert.Matches(@"NAME +STATE +READY +PID", screen);
        Assert.Matches(@"web\.1 +waiting +waiting +42", screen);
        Assert.Matches(@"web\.2 +running +ready +-", screen);
    }

    [Fact]
    public void Rows_whose_status_is_their_state_show_no_readiness_column()
    {
        string frame = Frame.Replace("\"command\":\"perl web.pl\"},", "\"command\":\"perl web.pl\",\"ready\":false,\"status\":\"running\"},", StringComparison.Ordinal);
        string screen = string.Join('\n', Renderer.Render(State(frame), 24, 100, new Styles(color: false), "demo", false).Select(Plain));
        Assert.DoesNotContain("READY", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_color_only_bold_and_reverse_are_used()
    {
        var lines = Renderer.Render(State(), 24, 80, new Styles(color: false), "demo", false);
        var codes = Escapes().Matches(string.Concat(lines)).Select(m => m.Value).Distinct();
        Assert.All(codes, c => Assert.Contains(c, new[] { Styles.Reset, Styles.Bold, Styles.Reverse }));
        var colored = Renderer.Render(State(), 24, 80, new Styles(color: true), "demo", false);
        Assert.Contains(colored, l => l.Contains("\u001b[31m", StringComparison.Ordinal)); // backoff in red
    }

    [Fact]
    public void Escape_sequences_and_control_characters_in_output_are_removed()
    {
        Assert.Equal("red text", TextCells.Clean("\u001b[31mred\u001b[0m text\u0007"));
        Assert.Equal("a       b", TextCells.Clean("a\tb")); // to the next tab stop of 8
        Assert.Equal("title", TextCells.Clean("\u001b]0;window\u0007title"));
        Assert.Equal("ab", TextCells.Clean("a\rb"));
        Assert.Equal("plain", TextCells.Clean("plain"));
    }

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex Escapes();
}
