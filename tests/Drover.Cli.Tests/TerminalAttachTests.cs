using System.Text.RegularExpressions;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// Issue #17 items 1-4 on real terminals: Drover runs in a tmux window (so its stdout is a terminal and every
/// process gets a pseudo-terminal of its own), and `drover attach` runs in another, where keys are typed.
/// </summary>
public sealed partial class TerminalAttachTests : IDisposable
{
    private readonly List<Tmux> _servers = [];
    private readonly List<TempApp> _apps = [];

    private static string Drover => DroverBinary.Path;

    private (TempApp App, Tmux Tmux) StartFormation(params string[] procfile) => StartFormation(TempApp.Create().WithProcfile(procfile));

    private (TempApp App, Tmux Tmux) StartFormation(TempApp app)
    {
        _apps.Add(app);
        // The echo shows when Drover has exited; the read keeps the window open for a look at it.
        var tmux = Tmux.Start(app.Root, $"{Drover} start --no-timestamp --no-color; echo drover-exit=$?; read x");
        _servers.Add(tmux);
        return (app, tmux);
    }

    private static void Attach(Tmux tmux, TempApp app, string instance) =>
        tmux.NewWindow(1, app.Root, $"{Drover} attach {instance}; echo attach-exit=$?; read x");

    private static async Task StopAsync(Tmux tmux)
    {
        tmux.Keys(0, "C-c");
        await tmux.ShowsAsync(0, "drover-exit=0");
    }

    [Fact]
    public async Task Pdb_shows_its_prompt_under_Drover_and_answers_a_command_typed_through_attach()
    {
        var (app, tmux) = StartFormation(TempApp.Create()
            .WithProcfile("dbg: python3 dbg.py")
            .WithFile("dbg.py", "import pdb", "x = 41", "pdb.set_trace()", "print('after', x + 1)"));

        // The prompt has no newline: it is shown after the idle delay, under the prefix.
        await tmux.ShowsAsync(0, "dbg.1 | (Pdb)");
        Attach(tmux, app, "dbg.1");
        // The recent output is replayed, so the attached terminal shows the prompt it attached to.
        await tmux.ShowsAsync(1, "(Pdb)");
        tmux.Type(1, "p x + 1");
        tmux.Keys(1, "Enter");

        string attached = await tmux.ShowsAsync(1, "42");
        Assert.DoesNotContain("dbg.1 |", attached, StringComparison.Ordinal); // unprefixed
        await tmux.ShowsAsync(0, "dbg.1 | 42");

        tmux.Type(1, "c");
        tmux.Keys(1, "Enter");
        await tmux.ShowsAsync(0, "dbg.1 | after 42");
        await tmux.ShowsAsync(1, "attach-exit=0"); // the process exited: the attachment ended with it
        await tmux.ShowsAsync(0, "drover-exit=0"); // and so did the formation, its only process done
    }

    [Fact]
    public async Task Ls_with_color_auto_emits_color_codes_because_it_is_on_a_terminal()
    {
        var (app, tmux) = StartFormation("ls: ls --color=auto /", "tty: [ -t 1 ] && echo stdout-is-a-tty; sleep 1000");
        await tmux.ShowsAsync(0, "tty.1 | stdout-is-a-tty");
        await tmux.ShowsAsync(0, "ls.1 exited with code 0");

        // `drover logs` gives the bytes the process wrote: escape sequences from ls, since Drover runs --no-color.
        var logs = await DroverProcess.RunAsync(app.Root, "logs", "ls.1");
        Assert.Equal(0, logs.ExitCode);
        Assert.Contains("\u001b[", logs.Stdout, StringComparison.Ordinal);
        await StopAsync(tmux);
    }

    [Fact]
    public async Task A_prompt_without_a_newline_appears_and_typed_input_completes_the_line()
    {
        var (app, tmux) = StartFormation("ask: printf 'name? '; read n; echo \"hi $n\"; sleep 1000");

        // `read` waits for input, so no newline arrives until one is typed: the prompt appears on its own.
        await tmux.ShowsAsync(0, "ask.1 | name?");
        Attach(tmux, app, "ask.1");
        await tmux.ShowsAsync(1, "attached to ask.1");
        tmux.Type(1, "bob");
        tmux.Keys(1, "Enter");

        // The echoed input continues the prompt's line under the same prefix; the answer follows.
        await tmux.ShowsAsync(0, "ask.1 | name? bob");
        await tmux.ShowsAsync(0, "ask.1 | hi bob");
        await tmux.ShowsAsync(1, "hi bob");
        await StopAsync(tmux);
    }

    [Fact]
    public async Task Detaching_leaves_the_process_running_and_Ctrl_C_goes_to_the_attached_process_only()
    {
        var (app, tmux) = StartFormation(
            "a: trap 'echo a-interrupted' INT; echo a-ready; while :; do sleep 1; done",
            "b: trap 'echo b-interrupted' INT; echo b-ready; while :; do sleep 1; done");
        await tmux.ShowsAsync(0, "a.1 | a-ready");
        await tmux.ShowsAsync(0, "b.1 | b-ready");
        var before = await DroverProcess.RunAsync(app.Root, "ps", "--json");

        Attach(tmux, app, "a.1");
        await tmux.ShowsAsync(1, "attached to a.1");
        tmux.Keys(1, "C-c");
        // The terminal echoes the Ctrl-C as ^C, on the line the trap's message then continues.
        await tmux.ShowsAsync(0, "a-interrupted");
        tmux.Keys(1, "C-]");
        await tmux.ShowsAsync(1, "detached from a.1");
        await tmux.ShowsAsync(1, "attach-exit=0");

        var after = await DroverProcess.RunAsync(app.Root, "ps", "--json");
        Assert.Equal(Pids(before.Stdout), Pids(after.Stdout));
        Assert.Equal(2, Regex.Count(after.Stdout, "\"state\": *\"running\""));
        Assert.DoesNotContain("b-interrupted", tmux.Screen(0), StringComparison.Ordinal);
        await StopAsync(tmux);
    }

    [Fact]
    public async Task The_window_size_follows_Drovers_terminal()
    {
        var (_, tmux) = StartFormation("size: trap 'echo size=$(stty size)' WINCH; echo size=$(stty size); while :; do sleep 1; done");
        await tmux.ShowsAsync(0, "size.1 | size=50 160");

        tmux.Resize(100, 30);

        await tmux.ShowsAsync(0, "size.1 | size=30 100");
        await StopAsync(tmux);
    }

    [Fact]
    public async Task Attaching_to_a_process_without_a_terminal_is_refused_with_the_way_to_get_one()
    {
        using var app = TempApp.Create().WithProcfile("web: sleep 1000");
        // stdout is a pipe here: no terminals unless asked for.
        using var drover = DroverProcess.Start(app.Root, "start");
        await drover.WaitForOutputAsync("system", t => t.Contains("web.1 started"));

        var refused = await DroverProcess.RunAsync(app.Root, "attach", "web.1");
        var unknown = await DroverProcess.RunAsync(app.Root, "attach", "nope.1");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--tty", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no process instance 'nope.1'", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_tty_always_a_process_gets_a_terminal_even_when_Drovers_output_is_a_pipe()
    {
        using var app = TempApp.Create().WithProcfile("web: [ -t 1 ] && echo web-tty", "worker: [ -t 1 ] || echo worker-pipe");

        var always = await DroverProcess.RunAsync(app.Root, "start", "--tty", "web");

        Assert.Contains(always.Lines, l => l.Name == "web.1" && l.Text == "web-tty");
        Assert.Contains(always.Lines, l => l.Name == "worker.1" && l.Text == "worker-pipe");
    }

    private static List<string> Pids(string psJson) =>
        [.. PidPattern().Matches(psJson).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("\"pid\":\\s*(\\d+)")]
    private static partial Regex PidPattern();

    public void Dispose()
    {
        _servers.ForEach(s => s.Dispose());
        _apps.ForEach(a => a.Dispose());
    }
}
