using System.Text;
using Drover.Core.Supervision;

namespace Drover.Posix.Tests;

/// <summary>Processes started on a pseudo-terminal (issue #17 item 1), with real processes and a real pty.</summary>
public sealed class TerminalLauncherTests : IDisposable
{
    private static readonly TimeSpan Patience = Eventually.Patience;
    private readonly PosixProcessLauncher _launcher = new(reapOrphans: false, terminalFor: name => name.StartsWith("tty.", StringComparison.Ordinal));
    private readonly List<IRunningProcess> _started = [];

    private (IRunningProcess Process, CollectingSink Output) Start(string command, string name = "tty.1")
    {
        var sink = new CollectingSink();
        var process = _launcher.Start(
            new ProcessSpec(name, command, Path.GetTempPath(), new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }),
            sink,
            _ => { });
        _started.Add(process);
        return (process, sink);
    }

    [Fact]
    public async Task A_terminal_process_has_a_tty_on_stdin_stdout_and_stderr()
    {
        var (process, output) = Start("for fd in 0 1 2; do [ -t $fd ] && echo tty-$fd; done; exit 3");

        Assert.Equal(ExitStatus.Exited(3), await process.Exited.WaitAsync(Patience));
        await output.Completed.WaitAsync(Patience);
        // Lines end in "\n" alone, as through a pipe: the terminal adds no carriage returns.
        Assert.Equal("tty-0\ntty-1\ntty-2\n", output.Text);
    }

    [Fact]
    public async Task Other_processes_keep_the_pipe()
    {
        var (process, output) = Start("[ -t 1 ] || echo not-a-tty", name: "pipe.1");
        await process.Exited.WaitAsync(Patience);
        await output.Completed.WaitAsync(Patience);
        Assert.Equal("not-a-tty\n", output.Text);
        Assert.Null(_launcher.Find("pipe.1"));
    }

    [Fact]
    public async Task The_terminal_is_the_controlling_terminal_and_the_process_group_is_in_the_foreground()
    {
        var (process, output) = Start("echo ready; exec sleep 1000");
        await Eventually.Until(() => output.Text.Contains("ready"));

        var (ttyNr, foreground) = TerminalOf(process.Pid);
        Assert.NotEqual(0, ttyNr);
        Assert.Equal(process.Pid, foreground);
        process.Kill();
        await process.Exited.WaitAsync(Patience);
    }

    [Fact]
    public async Task The_window_is_80_by_24_when_Drover_has_no_terminal()
    {
        var (process, output) = Start("stty size");
        await process.Exited.WaitAsync(Patience);
        await output.Completed.WaitAsync(Patience);
        Assert.Equal("24 80\n", output.Text);
    }

    [Fact]
    public async Task Typed_input_reaches_the_process()
    {
        var (process, output) = Start("echo ready; read line; echo \"got:$line\"");
        await Eventually.Until(() => output.Text.Contains("ready"));

        var terminal = _launcher.Find("tty.1");
        Assert.NotNull(terminal);
        Assert.True(await terminal.WriteInputAsync("hello\r"u8.ToArray(), CancellationToken.None));

        Assert.Equal(ExitStatus.Exited(0), await process.Exited.WaitAsync(Patience));
        await output.Completed.WaitAsync(Patience);
        Assert.Contains("got:hello\n", output.Text, StringComparison.Ordinal);
        Assert.Null(_launcher.Find("tty.1"));
        Assert.False(await terminal.WriteInputAsync("late\r"u8.ToArray(), CancellationToken.None));
    }

    [Fact]
    public async Task Ctrl_C_typed_into_the_terminal_interrupts_its_process_group()
    {
        var (process, output) = Start("trap 'echo interrupted; exit 7' INT; echo ready; while :; do sleep 1; done");
        await Eventually.Until(() => output.Text.Contains("ready"));

        await _launcher.Find("tty.1")!.WriteInputAsync(new byte[] { 3 }, CancellationToken.None);

        Assert.Equal(ExitStatus.Exited(7), await process.Exited.WaitAsync(Patience));
        await output.Completed.WaitAsync(Patience);
        Assert.Contains("interrupted\n", output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attached_client_gets_the_raw_output_and_the_formation_still_gets_it_all()
    {
        var (process, output) = Start("echo ready; read go; printf 'prompt> '; printf 'rest\\n'");
        await Eventually.Until(() => output.Text.Contains("ready"));
        var terminal = _launcher.Find("tty.1")!;
        using var attachment = terminal.Attach();

        await terminal.WriteInputAsync("x\r"u8.ToArray(), CancellationToken.None);
        var seen = new StringBuilder();
        await foreach (var chunk in attachment.Output.ReadAllAsync().WithCancellation(new CancellationTokenSource(Patience).Token))
        {
            attachment.Taken(chunk);
            seen.Append(Encoding.UTF8.GetString(chunk));
        }

        await process.Exited.WaitAsync(Patience);
        // The attachment ends with the terminal; it saw the echo of the typed input and everything after it.
        Assert.EndsWith("prompt> rest\n", seen.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("prompt> rest\n", output.Text, StringComparison.Ordinal);
    }

    /// <summary>tty_nr and tpgid from /proc/PID/stat.</summary>
    private static (int TtyNr, int Foreground) TerminalOf(int pid)
    {
        string text = File.ReadAllText($"/proc/{pid}/stat");
        string[] f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(f[4]), int.Parse(f[5]));
    }

    public void Dispose()
    {
        foreach (var p in _started)
        {
            p.Kill();
        }
        _launcher.Dispose();
    }
}
