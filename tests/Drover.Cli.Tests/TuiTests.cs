using System.Text.RegularExpressions;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// Issue #20 item 1: `drover tui` and `drover start --tui` on real terminals. The UI runs in a tmux window of 80x24
/// (what an SSH session gives), keys are typed with send-keys and the screen is read with capture-pane; the formation
/// it watches is a real `drover start`.
/// </summary>
public sealed partial class TuiTests : IDisposable
{
    // After the UI: its exit code, then the terminal's modes (restored: "icanon echo", still raw: "-icanon -echo").
    // One echo, so the screen never shows the exit code without the modes.
    private const string AfterUi = "code=$?; modes=$(stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '); echo \"modes: $modes ui-exit=$code\"; read x";

    private readonly List<IDisposable> _owned = [];

    private static string Drover => DroverBinary.Path;

    private (TempApp App, DroverProcess Formation) StartFormation(string[] procfile, params string[] args)
    {
        var app = Own(TempApp.Create().WithProcfile(procfile));
        var formation = Own(DroverProcess.Start(app.Root, ["start", "--no-color", .. args]));
        return (app, formation);
    }

    private Tmux StartUi(TempApp app, string environment = "") =>
        Own(Tmux.Start(app.Root, $"{environment} {Drover} tui; {AfterUi}", columns: 80, rows: 24));

    private T Own<T>(T owned)
        where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    /// <summary>The screen's lines (window 0).</summary>
    private static string[] Lines(Tmux tmux) => tmux.Screen(0).Split('\n');

    /// <summary>The log line the search marks as the current match (it starts with '>' under the table's bar).</summary>
    private static string CurrentMatch(Tmux tmux)
    {
        var lines = Lines(tmux);
        int bar = Array.FindIndex(lines, l => l.StartsWith("── log:", StringComparison.Ordinal));
        return lines.Skip(bar + 1).FirstOrDefault(l => l.StartsWith('>')) ?? "";
    }

    /// <summary>Waits until the screen matches <paramref name="pattern"/> (table rows are padded, so a pattern, not a string).</summary>
    private static async Task<string> ShowsRowAsync(Tmux tmux, string pattern)
    {
        string screen = "";
        await Eventually.HoldsAsync(
            () => Regex.IsMatch(screen = tmux.Screen(0), pattern), DroverProcess.Patience, () => $"never showed /{pattern}/; it shows:\n{screen}");
        return screen;
    }

    private static async Task<string> PsAsync(TempApp app)
    {
        var ps = await DroverProcess.RunAsync(app.Root, "ps");
        Assert.Equal(0, ps.ExitCode);
        return ps.Stdout;
    }

    [Fact]
    public async Task The_table_shows_the_formation_with_its_columns_in_80x24()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000", "worker: exec sleep 1000"], "-m", "web=2,worker=1");
        await formation.WaitForStartAsync("worker.1");
        var tmux = StartUi(app);

        string screen = await ShowsRowAsync(tmux, @"worker\.1 +running");
        Assert.Contains("3/3 running", screen, StringComparison.Ordinal);
        Assert.Matches(@"NAME +STATE +PID +UPTIME +RST +PORT +CPU% +RSS +COMMAND", screen);
        Assert.Matches(@"web\.2 +running +\d+ .* 5001 ", screen);
        Assert.All(Lines(tmux), l => Assert.True(l.Length <= 80, $"wider than 80: '{l}'"));
        Assert.Equal(24, Lines(tmux).Length - 1); // 24 rows (and the final newline)
    }

    [Fact]
    public async Task Plus_and_minus_scale_the_selected_type_and_drover_ps_shows_it()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000", "worker: exec sleep 1000"]);
        await formation.WaitForStartAsync("worker.1");
        var tmux = StartUi(app);
        await ShowsRowAsync(tmux, @"web\.1 +running");

        tmux.Keys(0, "+"); // web.1 is selected first
        await ShowsRowAsync(tmux, @"web\.2 +running");
        Assert.Matches(@"web\.2 +\d+ +running", await PsAsync(app));

        tmux.Keys(0, "Down", "Down", "-"); // worker.1
        await ShowsRowAsync(tmux, @"worker +\(none\)"); // a type with no instance stays, to be scaled up again
        Assert.DoesNotContain("worker.1", await PsAsync(app), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^[ >]worker\.1 ", tmux.Screen(0));
    }

    [Fact]
    public async Task X_stops_and_s_starts_the_selected_instance()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000"]);
        await formation.WaitForStartAsync("web.1");
        var tmux = StartUi(app);
        await ShowsRowAsync(tmux, @"web\.1 +running");

        tmux.Keys(0, "x");
        await ShowsRowAsync(tmux, @"web\.1 +stopped");
        Assert.Matches(@"web\.1 +- +stopped", await PsAsync(app));
        tmux.Keys(0, "s");
        await ShowsRowAsync(tmux, @"web\.1 +running");
        Assert.Matches(@"web\.1 +\d+ +running", await PsAsync(app));
    }

    [Fact]
    public async Task R_restarts_the_selected_type_one_instance_after_the_other()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000"], "-m", "web=2");
        int first = await formation.WaitForStartAsync("web.1");
        int second = await formation.WaitForStartAsync("web.2");
        var tmux = StartUi(app);
        await ShowsRowAsync(tmux, @"web\.2 +running");

        tmux.Keys(0, "r");
        await tmux.ShowsAsync(0, "rolling restart of web: done");
        Assert.NotEqual(first, await formation.WaitForStartAsync("web.1", occurrence: 2));
        Assert.NotEqual(second, await formation.WaitForStartAsync("web.2", occurrence: 2));
        string ps = await PsAsync(app);
        Assert.DoesNotContain($" {first} ", ps, StringComparison.Ordinal);
        Assert.DoesNotContain($" {second} ", ps, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_finds_a_line_and_n_moves_to_the_next_match_and_N_back()
    {
        var (app, formation) = StartFormation(["say: for i in 1 2 3; do echo needle-$i; echo hay-$i; done; exec sleep 1000"]);
        await formation.WaitForOutputAsync("say.1", "hay-3");
        var tmux = StartUi(app);
        await tmux.ShowsAsync(0, "say.1 | hay-3");

        tmux.Keys(0, "/");
        tmux.Type(0, "needle");
        tmux.Keys(0, "Enter");
        await tmux.ShowsAsync(0, "/needle: match 3 of 3");
        Assert.EndsWith("needle-3", CurrentMatch(tmux).TrimEnd(), StringComparison.Ordinal);

        tmux.Keys(0, "n");
        await tmux.ShowsAsync(0, "/needle: match 2 of 3");
        Assert.EndsWith("needle-2", CurrentMatch(tmux).TrimEnd(), StringComparison.Ordinal);
        tmux.Keys(0, "n");
        await tmux.ShowsAsync(0, "/needle: match 1 of 3");
        Assert.EndsWith("needle-1", CurrentMatch(tmux).TrimEnd(), StringComparison.Ordinal);

        tmux.Keys(0, "N");
        await tmux.ShowsAsync(0, "/needle: match 2 of 3");
        Assert.EndsWith("needle-2", CurrentMatch(tmux).TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_stops_the_log_pane_from_following_and_p_follows_again()
    {
        var (app, formation) = StartFormation(["tick: i=0; while :; do i=$((i+1)); echo tick-$i; sleep 0.1; done"]);
        await formation.WaitForOutputAsync("tick.1", "tick-5");
        var tmux = StartUi(app);
        await tmux.ShowsAsync(0, "tick.1 | tick-");

        tmux.Keys(0, "p");
        await tmux.ShowsAsync(0, "paused,");
        int frozen = NewestTick(tmux);
        // Ten more lines written and counted, and the pane still shows the same newest line.
        await Eventually.HoldsAsync(() => NewWhilePaused(tmux) >= 10, DroverProcess.Patience, () => tmux.Screen(0));
        Assert.Equal(frozen, NewestTick(tmux));

        tmux.Keys(0, "p");
        await tmux.ShowsAsync(0, "following");
        await Eventually.HoldsAsync(() => NewestTick(tmux) >= frozen + 10, DroverProcess.Patience, () => tmux.Screen(0));
    }

    private static int NewestTick(Tmux tmux) =>
        TickPattern().Matches(tmux.Screen(0)).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    private static int NewWhilePaused(Tmux tmux) =>
        PausedPattern().Match(tmux.Screen(0)) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;

    [Fact]
    public async Task A_resize_lays_the_screen_out_again()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000"]);
        await formation.WaitForStartAsync("web.1");
        var tmux = StartUi(app);
        await ShowsRowAsync(tmux, @"web\.1 +running");
        Assert.Equal(80, LogBar(tmux).Length);

        tmux.Resize(120, 40);
        await Eventually.HoldsAsync(() => LogBar(tmux).Length == 120 && Lines(tmux).Length - 1 == 40, DroverProcess.Patience, () => tmux.Screen(0));
        Assert.Equal("q quit", Lines(tmux)[39][..6]); // the help line moved to the new last row

        tmux.Resize(60, 15);
        await Eventually.HoldsAsync(() => LogBar(tmux).Length == 60 && Lines(tmux).Length - 1 == 15, DroverProcess.Patience, () => tmux.Screen(0));
        Assert.Contains("web.1", tmux.Screen(0), StringComparison.Ordinal);
    }

    private static string LogBar(Tmux tmux) => Lines(tmux).FirstOrDefault(l => l.StartsWith("── log:", StringComparison.Ordinal)) ?? "";

    [Fact]
    public async Task NO_COLOR_gives_no_color_escapes_and_colors_come_without_it()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000"]);
        await formation.WaitForStartAsync("web.1");

        var plain = StartUi(app, "NO_COLOR=1");
        await ShowsRowAsync(plain, @"web\.1 +running");
        string screen = plain.Screen(0, escapes: true);
        Assert.Contains("\u001b[7m", screen, StringComparison.Ordinal); // reverse video is no color: the bars stay
        Assert.Empty(ColorCodes(screen));

        var colored = StartUi(app);
        await ShowsRowAsync(colored, @"web\.1 +running");
        Assert.NotEmpty(ColorCodes(colored.Screen(0, escapes: true))); // the same screen has colors without NO_COLOR
    }

    // The SGR parameters that set a foreground or background color (30-38, 40-48, 90-97, 100-107; 39 and 49 are the defaults).
    private static List<string> ColorCodes(string screen) =>
        [.. SgrPattern().Matches(screen).SelectMany(m => m.Groups[1].Value.Split(';'))
            .Where(p => int.TryParse(p, out int n) && n is (>= 30 and <= 38) or (>= 40 and <= 48) or (>= 90 and <= 97) or (>= 100 and <= 107))];

    [Fact]
    public async Task Q_leaves_the_formation_running_and_the_terminal_restored()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000"]);
        await formation.WaitForStartAsync("web.1");
        var tmux = StartUi(app);
        await ShowsRowAsync(tmux, @"web\.1 +running");

        tmux.Keys(0, "q");
        string after = await tmux.ShowsAsync(0, "ui-exit=0");
        Assert.Contains("icanon echo", after, StringComparison.Ordinal);
        Assert.Equal("0 1", tmux.Run("display", "-p", "-t", "t:0", "#{alternate_on} #{cursor_flag}").Trim());
        Assert.Matches(@"web\.1 +\d+ +running", await PsAsync(app));
    }

    [Fact]
    public async Task Ctrl_C_quits_like_q()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000"]);
        await formation.WaitForStartAsync("web.1");
        var tmux = StartUi(app);
        await ShowsRowAsync(tmux, @"web\.1 +running");

        tmux.Keys(0, "C-c");
        Assert.Contains("icanon echo", await tmux.ShowsAsync(0, "ui-exit=0"), StringComparison.Ordinal);
        Assert.Matches(@"web\.1 +\d+ +running", await PsAsync(app));
    }

    [Fact]
    public async Task SIGTERM_to_the_ui_restores_the_terminal()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000"]);
        await formation.WaitForStartAsync("web.1");
        var tmux = StartUi(app);
        await ShowsRowAsync(tmux, @"web\.1 +running");

        int shell = int.Parse(tmux.Run("display", "-p", "-t", "t:0", "#{pane_pid}").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        int ui = int.Parse(File.ReadAllText($"/proc/{shell}/task/{shell}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Libc.Send(ui, UnixSignal.Terminate));

        Assert.Contains("icanon echo", await tmux.ShowsAsync(0, "ui-exit=0"), StringComparison.Ordinal);
        Assert.Equal("0 1", tmux.Run("display", "-p", "-t", "t:0", "#{alternate_on} #{cursor_flag}").Trim());
        Assert.Matches(@"web\.1 +\d+ +running", await PsAsync(app));
    }

    [Fact]
    public async Task The_formation_ending_ends_the_ui_and_restores_the_terminal()
    {
        var (app, formation) = StartFormation(["web: exec sleep 1000"]);
        await formation.WaitForStartAsync("web.1");
        var tmux = StartUi(app);
        await ShowsRowAsync(tmux, @"web\.1 +running");

        formation.Signal(UnixSignal.Terminate);
        string after = await tmux.ShowsAsync(0, "ui-exit=0");
        Assert.Contains("drover: the formation ended", after, StringComparison.Ordinal);
        Assert.Contains("icanon echo", after, StringComparison.Ordinal);
        Assert.Equal(0, await formation.WaitForExitAsync());
    }

    [Fact]
    public async Task Enter_follows_the_selected_instance_only_and_again_every_process()
    {
        var (app, formation) = StartFormation(["a: echo from-a; exec sleep 1000", "b: echo from-b; exec sleep 1000"]);
        await formation.WaitForOutputAsync("b.1", "from-b");
        await formation.WaitForOutputAsync("a.1", "from-a");
        var tmux = StartUi(app);
        await tmux.ShowsAsync(0, "b.1 | from-b");
        await ShowsRowAsync(tmux, @">a\.1 +running"); // the table is there, a.1 selected

        tmux.Keys(0, "Enter");
        await tmux.ShowsAsync(0, "log: a.1");
        await tmux.ShowsAsync(0, "a.1 | from-a");
        Assert.DoesNotContain("b.1 | from-b", Tmux.Unpadded(tmux.Screen(0)), StringComparison.Ordinal);

        tmux.Keys(0, "Enter");
        await tmux.ShowsAsync(0, "log: all processes");
        await tmux.ShowsAsync(0, "b.1 | from-b");
    }

    [Fact]
    public async Task A_attaches_to_the_selected_instance_and_Ctrl_bracket_comes_back()
    {
        var (app, formation) = StartFormation(["ask: printf 'name? '; read n; echo \"hi $n\"; exec sleep 1000"], "--tty", "always");
        await formation.WaitForStartAsync("ask.1");
        var tmux = StartUi(app);
        await ShowsRowAsync(tmux, @"ask\.1 +running");

        tmux.Keys(0, "a");
        await tmux.ShowsAsync(0, "attached to ask.1");
        await tmux.ShowsAsync(0, "name?");
        tmux.Type(0, "bob");
        tmux.Keys(0, "Enter");
        await tmux.ShowsAsync(0, "hi bob");

        tmux.Keys(0, "C-]");
        await tmux.ShowsAsync(0, "detached from ask.1");
        await ShowsRowAsync(tmux, @"ask\.1 +running"); // the table is back, the process still runs
        await tmux.ShowsAsync(0, "ask.1 | hi bob");
        tmux.Keys(0, "q");
        Assert.Contains("icanon echo", await tmux.ShowsAsync(0, "ui-exit=0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_tui_shows_its_formation_and_q_then_y_stops_it_as_Ctrl_C_would()
    {
        var app = Own(TempApp.Create().WithProcfile("web: echo hello-from-web; exec sleep 1000"));
        var tmux = Own(Tmux.Start(app.Root, $"{Drover} start --tui; {AfterUi}", columns: 80, rows: 24));
        await ShowsRowAsync(tmux, @"web\.1 +running");
        await tmux.ShowsAsync(0, "web.1 | hello-from-web");
        Assert.Matches(@"web\.1 +\d+ +running", await PsAsync(app));

        tmux.Keys(0, "q");
        await tmux.ShowsAsync(0, "Stop the formation and quit?");
        tmux.Keys(0, "n"); // anything but y: no
        await tmux.ShowsAsync(0, "q quit");
        tmux.Keys(0, "q", "y");

        string after = await tmux.ShowsAsync(0, "ui-exit=0");
        Assert.Contains("all processes stopped", after, StringComparison.Ordinal); // the shutdown is seen on stdout
        Assert.Contains("icanon echo", after, StringComparison.Ordinal);
        Assert.NotEqual(0, (await DroverProcess.RunAsync(app.Root, "ps")).ExitCode);
    }

    [Fact]
    public async Task Tui_without_a_running_formation_says_so()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        var result = await DroverProcess.RunAsync(app.Root, "tui");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no Drover is running", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }

    [GeneratedRegex(@"tick-(\d+)")]
    private static partial Regex TickPattern();

    [GeneratedRegex(@"paused, (\d+) new")]
    private static partial Regex PausedPattern();

    [GeneratedRegex("\u001b\\[([0-9;]*)m")]
    private static partial Regex SgrPattern();
}
