using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Drover.Cli.Tests.Support;

/// <summary>
/// The drover binary running as a child of the test: stdout and stderr collected (bytes and lines), lines to wait
/// for, signals to send, an exit to await. Disposing it kills drover and everything it started that is still
/// running, so a failing test never leaves processes behind.
/// </summary>
internal sealed class DroverProcess : IDisposable
{
    /// <summary>How long any wait may take before the test fails: generous, for a loaded 2-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Task _pumps;
    private readonly ulong _startTime;
    private readonly int _ownSession;
    private readonly List<TrackedProcess> _tracked = [];

    private DroverProcess(Process process)
    {
        _process = process;
        Pid = process.Id;
        _startTime = ProcessTable.Read(Pid)?.StartTime ?? 0;
        _ownSession = ProcessTable.Read(Environment.ProcessId)?.Session ?? 0;
        _pumps = Task.WhenAll(
            Pump(process.StandardOutput.BaseStream, Stdout),
            Pump(process.StandardError.BaseStream, Stderr));
    }

    /// <summary>Drover's pid.</summary>
    public int Pid { get; }

    /// <summary>What drover wrote to stdout.</summary>
    public OutputLog Stdout { get; } = new("drover's stdout");

    /// <summary>What drover wrote to stderr.</summary>
    public OutputLog Stderr { get; } = new("drover's stderr");

    /// <summary>The stdout lines that have the <c>name | text</c> shape.</summary>
    public IReadOnlyList<OutputLine> Lines => [.. Stdout.Lines.Select(OutputLine.TryParse).OfType<OutputLine>()];

    /// <summary>
    /// Starts <c>drover ARGS</c> in <paramref name="workingDirectory"/> with the test's environment minus
    /// <c>PORT</c>, plus <paramref name="environment"/> (a null value removes a variable). Stdin is at EOF.
    /// </summary>
    public static DroverProcess Start(
        string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null) =>
        Start(workingDirectory, args, environment, shellScript: null);

    /// <summary>
    /// Runs <c>/bin/sh -c SCRIPT DROVER ARGS</c>: the script runs drover as <c>"$0" "$@"</c> in whatever
    /// plumbing it sets up. <see cref="Pid"/> is then the shell's, and <see cref="Stdout"/> the shell's stdout.
    /// </summary>
    public static DroverProcess StartThroughShell(string workingDirectory, string shellScript, params string[] args) =>
        Start(workingDirectory, args, environment: null, shellScript);

    private static DroverProcess Start(
        string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment, string? shellScript)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var command = new List<string>();
        if (SignalsIgnoredHere())
        {
            // Started in the background by a non-interactive shell, the test host ignores SIGINT, and drover would
            // inherit that. env(1) resets it, then execs drover under the same pid.
            command.AddRange(["/usr/bin/env", "--default-signal=HUP,INT,TERM"]);
        }
        if (shellScript is not null)
        {
            command.AddRange(["/bin/sh", "-c", shellScript]); // drover's path becomes "$0"
        }
        command.Add(DroverBinary.Path);
        info.FileName = command[0];
        foreach (string word in command.Skip(1))
        {
            info.ArgumentList.Add(word);
        }
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // A PORT inherited from whoever runs the tests would change every port the tests expect.
        info.Environment.Remove("PORT");
        info.Environment.Remove("NO_COLOR");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null");
        process.StandardInput.Close();
        return new DroverProcess(process);
    }

    /// <summary>Starts <c>drover ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public static DroverProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, (IEnumerable<string>)args);

    /// <summary>Runs <c>drover ARGS</c> to its end and returns what it did.</summary>
    public static async Task<DroverResult> RunAsync(
        string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var drover = Start(workingDirectory, args, environment);
        int code = await drover.WaitForExitAsync();
        return new DroverResult(code, drover.Stdout.Lines, drover.Stderr.Text, drover.Lines);
    }

    /// <summary>Runs <c>drover ARGS</c> in <paramref name="workingDirectory"/> to its end.</summary>
    public static Task<DroverResult> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, (IEnumerable<string>)args);

    /// <summary>Waits for the <paramref name="occurrence"/>-th stdout line from <paramref name="name"/> whose text matches.</summary>
    public async Task<OutputLine> WaitForOutputAsync(
        string name,
        Func<string, bool> text,
        int occurrence = 1,
        [CallerArgumentExpression(nameof(text))] string description = "")
    {
        string line = await WithContext(Stdout.WaitForLineAsync(
            l => OutputLine.TryParse(l) is { } parsed && parsed.Name == name && text(parsed.Text),
            Patience,
            occurrence,
            $"{name} | {description}"));
        return OutputLine.TryParse(line)!;
    }

    /// <summary>Waits for a line of <paramref name="name"/> whose text is exactly <paramref name="text"/>.</summary>
    public Task<OutputLine> WaitForOutputAsync(string name, string text, int occurrence = 1) =>
        WaitForOutputAsync(name, t => t == text, occurrence, $"\"{text}\"");

    /// <summary>Waits for Drover's own message (under <c>system</c>) that is exactly <paramref name="text"/>.</summary>
    public Task<OutputLine> WaitForSystemAsync(string text, int occurrence = 1) =>
        WaitForOutputAsync(OutputLine.System, text, occurrence);

    /// <summary>Waits for Drover's own message that starts with <paramref name="prefix"/>.</summary>
    public Task<OutputLine> WaitForSystemPrefixAsync(string prefix, int occurrence = 1) =>
        WaitForOutputAsync(OutputLine.System, t => t.StartsWith(prefix, StringComparison.Ordinal), occurrence, $"\"{prefix}...\"");

    /// <summary>Waits for "INSTANCE started with pid N" and returns N.</summary>
    public async Task<int> WaitForStartAsync(string instance, int occurrence = 1)
    {
        var line = await WaitForOutputAsync(
            OutputLine.System, t => OutputLine.ParseStarted(t)?.Instance == instance, occurrence, $"\"{instance} started with pid ...\"");
        return line.Started!.Value.Pid;
    }

    /// <summary>The texts of every stdout line from <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> TextOf(string name) => [.. Lines.Where(l => l.Name == name).Select(l => l.Text)];

    /// <summary>Sends <paramref name="signal"/> to drover itself (not to its children).</summary>
    public void Signal(UnixSignal signal)
    {
        if (!Libc.Send(Pid, signal))
        {
            throw new InvalidOperationException($"drover (pid {Pid}) is gone; cannot send {signal}\n{Dump()}");
        }
    }

    /// <summary>
    /// Waits (at most <see cref="Patience"/>) for drover to exit, then (unless <paramref name="outputToo"/> is false)
    /// for its stdout and stderr to end; returns its exit code.
    /// </summary>
    public async Task<int> WaitForExitAsync(bool outputToo = true)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"drover (pid {Pid}) did not exit within {Patience.TotalSeconds} s\n{Dump()}");
        }
        if (!outputToo)
        {
            return _process.ExitCode;
        }
        try
        {
            await _pumps.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"drover (pid {Pid}) exited with code {_process.ExitCode}, but its stdout or stderr is still open "
                + $"{Patience.TotalSeconds} s later: a process it started outlives it and holds them\n{Dump()}");
        }
        return _process.ExitCode;
    }

    /// <summary>Also kills <paramref name="processes"/> on dispose, if they still run (for those drover cannot answer for).</summary>
    public void KillOnDispose(IEnumerable<TrackedProcess> processes)
    {
        lock (_tracked)
        {
            _tracked.AddRange(processes);
        }
    }

    /// <summary>stdout and stderr so far, for failure messages.</summary>
    public string Dump()
    {
        var stdout = Stdout.Lines;
        var tail = stdout.Skip(Math.Max(0, stdout.Count - 60)).Select(l => l.Length > 300 ? l[..300] + "..." : l);
        return $"--- stdout ({stdout.Count} lines, last 60) ---\n{string.Join('\n', tail)}\n--- stderr ---\n{Stderr.Text}";
    }

    /// <summary>Kills drover if it still runs, then every process it started that is still running.</summary>
    public void Dispose()
    {
        try
        {
            KillLeftovers();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void KillLeftovers()
    {
        var suspects = new HashSet<int>();
        var sessions = new HashSet<int>();
        if (!_process.HasExited)
        {
            foreach (var p in ProcessTable.Descendants(Pid))
            {
                suspects.Add(p.Pid);
                sessions.Add(p.Session);
            }
            Libc.Send(Pid, UnixSignal.Kill);
            _process.WaitForExit(10_000);
        }
        // Each child drover started leads its own session; orphans of a dead drover are found through that.
        foreach (var line in Lines)
        {
            if (line.Started is { } started)
            {
                sessions.Add(started.Pid);
            }
        }
        lock (_tracked)
        {
            foreach (var p in _tracked.Where(p => p.IsRunning))
            {
                Libc.Send(p.Pid, UnixSignal.Kill);
            }
        }
        sessions.Remove(_ownSession);
        sessions.Remove(0);
        foreach (var p in ProcessTable.All())
        {
            // Only processes started after drover can be its leftovers: older ones that reuse a pid are left alone.
            bool ours = p.StartTime >= _startTime && p.Pid != Environment.ProcessId;
            if (ours && p.IsRunning && (suspects.Contains(p.Pid) || sessions.Contains(p.Session)))
            {
                Libc.Send(p.Pid, UnixSignal.Kill);
            }
        }
    }

    private async Task<T> WithContext<T>(Task<T> wait)
    {
        try
        {
            return await wait;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new WaitFailedException($"{e.Message}\n{Dump()}", e);
        }
    }

    private static async Task Pump(Stream stream, OutputLog log)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                log.Append(buffer.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Disposed while drover's output was still open (a test that failed early): the log just ends here.
        }
        finally
        {
            log.End();
        }
    }

    /// <summary>True when this test host ignores SIGHUP, SIGINT or SIGTERM, which its children would inherit.</summary>
    private static bool SignalsIgnoredHere()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        ulong ignored = line is null ? 0 : ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        ulong mask = (1UL << ((int)UnixSignal.Hangup - 1)) | (1UL << ((int)UnixSignal.Interrupt - 1)) | (1UL << ((int)UnixSignal.Terminate - 1));
        return (ignored & mask) != 0;
    }
}

/// <summary>A wait for output failed (timed out, or the output ended); the message shows what drover printed.</summary>
internal sealed class WaitFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>How a drover run ended.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StdoutLines">Every stdout line.</param>
/// <param name="Stderr">All of stderr.</param>
/// <param name="Lines">The stdout lines with the <c>name | text</c> shape.</param>
internal sealed record DroverResult(int ExitCode, IReadOnlyList<string> StdoutLines, string Stderr, IReadOnlyList<OutputLine> Lines)
{
    /// <summary>All of stdout.</summary>
    public string Stdout => string.Join('\n', StdoutLines);

    /// <summary>For failure messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
