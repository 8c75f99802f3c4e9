using Drover.Tui.Model;

namespace Drover.Tui.Tests;

/// <summary>The log pane's following, pausing, scrolling and search, without a terminal.</summary>
public sealed class LogPaneTests
{
    private static LogPane With(int capacity, params string[] lines)
    {
        var pane = new LogPane(capacity);
        pane.Add(lines);
        return pane;
    }

    private static string[] Texts(LogPane pane, int height) => [.. pane.Visible(height).Select(l => l.Text)];

    [Fact]
    public void It_follows_the_newest_lines()
    {
        var pane = With(100, "a", "b", "c", "d");
        Assert.Equal(["c", "d"], Texts(pane, 2));
        pane.Add(["e"]);
        Assert.Equal(["d", "e"], Texts(pane, 2));
        Assert.False(pane.Paused);
    }

    [Fact]
    public void Paused_it_stays_put_and_counts_new_lines_even_before_it_is_full()
    {
        var pane = With(100, "a", "b");
        pane.TogglePause();
        pane.Add(["c", "d", "e"]);
        Assert.Equal(["a", "b"], Texts(pane, 10));
        Assert.Equal(3, pane.NewWhilePaused);

        pane.TogglePause();
        Assert.Equal(["d", "e"], Texts(pane, 2));
        Assert.Equal(0, pane.NewWhilePaused);
    }

    [Fact]
    public void The_ring_keeps_the_newest_lines_and_a_paused_view_moves_only_when_its_lines_are_gone()
    {
        var pane = With(3, "a", "b", "c");
        pane.TogglePause();
        pane.Add(["d"]);
        Assert.Equal(["b", "c"], Texts(pane, 2));
        pane.Add(["e", "f", "g"]);
        Assert.Equal(["e"], Texts(pane, 2)); // a, b, c and d are gone: the oldest kept line
        Assert.Equal(3, pane.Count);
    }

    [Fact]
    public void Search_starts_at_the_newest_match_n_goes_older_N_newer()
    {
        var pane = With(100, "x needle 1", "hay", "x NEEDLE 2", "hay", "x needle 3", "hay");
        Assert.True(pane.Find("needle"));
        Assert.Equal((3, 3), pane.MatchPosition());
        Assert.True(pane.Paused);
        Assert.Contains(pane.Visible(3), l => l.Number == pane.Match && l.Text == "x needle 3");

        Assert.True(pane.Next());
        Assert.Equal((2, 3), pane.MatchPosition()); // case-insensitive
        Assert.True(pane.Next());
        Assert.Equal((1, 3), pane.MatchPosition());
        Assert.False(pane.Next()); // none older: it stays
        Assert.Equal((1, 3), pane.MatchPosition());
        Assert.Contains(pane.Visible(2), l => l.Text == "x needle 1");

        Assert.True(pane.Previous());
        Assert.Equal((2, 3), pane.MatchPosition());
        pane.EndSearch();
        Assert.Null(pane.MatchPosition());
    }

    [Fact]
    public void A_search_without_a_match_says_so_and_does_not_pause()
    {
        var pane = With(100, "a", "b");
        Assert.False(pane.Find("zzz"));
        Assert.False(pane.Paused);
        Assert.Equal((0, 0), pane.MatchPosition());
    }

    [Fact]
    public void Scrolling_up_pauses_and_stops_at_the_top()
    {
        var pane = With(100, "1", "2", "3", "4", "5", "6");
        pane.Scroll(-2, 2);
        Assert.True(pane.Paused);
        Assert.Equal(["3", "4"], Texts(pane, 2));
        pane.Scroll(-100, 2);
        Assert.Equal(["1", "2"], Texts(pane, 2));
        pane.Follow();
        Assert.Equal(["5", "6"], Texts(pane, 2));
    }
}
