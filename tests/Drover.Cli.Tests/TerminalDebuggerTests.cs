using System.Text.RegularExpressions;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// Issue #17 item 3's debuggers, each under Drover in a tmux window: the prompt shows in the formation's output, a
/// command typed through `drover attach` is answered, detaching leaves the process running at its breakpoint, and
/// a second attach resumes it. Debian's ruby, pry and ruby-byebug (scripts/test.sh installs them); rdbg is Ruby's
/// bundled debug gem.
/// </summary>
public sealed partial class TerminalAttachTests
{
    [Fact]
    public Task Pry_shows_its_prompt_answers_through_attach_and_keeps_running_after_a_detach() =>
        // pry draws its prompt from column 1 ("\e[0G"), over the prefix in the formation's output.
        DebugsAsync(
            ["require 'pry'", "x = 41", "binding.pry", "puts \"after #{x + 1}\""],
            shownBeforeAttach: "[1] pry(main)>", prompt: "[1] pry(main)>", ask: "x + 1", answer: "=> 42", resume: "exit");

    [Fact]
    public Task Byebug_shows_its_prompt_answers_through_attach_and_keeps_running_after_a_detach() =>
        DebugsAsync(
            ["require 'byebug'", "x = 41", "byebug", "puts \"after #{x + 1}\""],
            shownBeforeAttach: "dbg.1 | (byebug)", prompt: "(byebug)", ask: "p x + 1", answer: "dbg.1 | 42", resume: "continue");

    [Fact]
    public Task Rdbg_shows_its_prompt_once_attached_answers_and_keeps_running_after_a_detach() =>
        // rdbg's line editor (Reline) asks the terminal for the cursor position before its first prompt and waits
        // for the answer: the formation's output is no terminal to the process, so the prompt comes once attached
        // (the attached terminal answers the replayed question). Until then the breakpoint's listing shows.
        DebugsAsync(
            ["require 'debug'", "x = 41", "binding.break", "puts \"after #{x + 1}\""],
            shownBeforeAttach: "dbg.1 | =>#0", prompt: "(rdbg)", ask: "p x + 1", answer: "=> 42", resume: "continue");

    /// <summary>
    /// <paramref name="answer"/> is what the formation's output shows after <paramref name="ask"/> (the attached
    /// terminal shows it too, unprefixed).
    /// </summary>
    private async Task DebugsAsync(string[] script, string shownBeforeAttach, string prompt, string ask, string answer, string resume)
    {
        var (app, tmux) = StartFormation(TempApp.Create().WithProcfile("dbg: ruby dbg.rb").WithFile("dbg.rb", script));

        // The prompt has no newline: it is shown after the idle delay.
        await tmux.ShowsAsync(0, shownBeforeAttach);
        Attach(tmux, app, "dbg.1");
        await tmux.ShowsAsync(1, prompt);
        tmux.Type(1, ask);
        tmux.Keys(1, "Enter");
        string attached = await tmux.ShowsAsync(1, answer.Replace("dbg.1 | ", "", StringComparison.Ordinal));
        Assert.DoesNotContain("dbg.1 |", attached, StringComparison.Ordinal); // unprefixed
        await tmux.ShowsAsync(0, answer);

        tmux.Keys(1, "C-]");
        await tmux.ShowsAsync(1, "detached from dbg.1");
        await tmux.ShowsAsync(1, "attach-exit=0");
        var ps = await DroverProcess.RunAsync(app.Root, "ps", "--json");
        Assert.Equal(1, Regex.Count(ps.Stdout, "\"state\": *\"running\""));
        Assert.DoesNotContain("after 42", tmux.Screen(0), StringComparison.Ordinal); // still at the breakpoint

        // Attached again, the debugger takes the next command: the program runs on and exits.
        tmux.NewWindow(2, app.Root, $"{Drover} attach dbg.1; echo attach-exit=$?; read x");
        await tmux.ShowsAsync(2, "attached to dbg.1");
        tmux.Type(2, resume);
        tmux.Keys(2, "Enter");
        await tmux.ShowsAsync(0, "after 42"); // under its prefix, or after the prompt line a line editor redrew
        await tmux.ShowsAsync(0, "drover-exit=0");
    }
}
