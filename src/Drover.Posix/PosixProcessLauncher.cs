using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Core.Terminals;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Starts each process in its own session and process group, with stdin from /dev/null and stdout+stderr on one
/// pipe read by the shared <see cref="OutputPump"/>: a command without shell syntax directly (one exec, see
/// <see cref="SimpleCommand"/>), any other as <c>/bin/sh -c command</c>. A process chosen by the terminal policy
/// gets a pseudo-terminal instead of the pipe (stdin, stdout and stderr), read by the same pump.
/// </summary>
public sealed class PosixProcessLauncher : IProcessLauncher, IStrayProcesses, ITerminals, IDisposable
{
    private readonly OutputPump _pump = new();
    private readonly Reaper _reaper;
    private readonly OrphanGuard? _guard;
    private readonly bool _reapOrphans;
    private readonly Func<string, bool>? _terminalFor;
    private readonly ConcurrentDictionary<string, PtyTerminal> _terminals = new(StringComparer.Ordinal);
    private readonly PosixSignalRegistration? _sigwinch;
    // Drover's own window size, which every process terminal follows; replaced whole on SIGWINCH.
    private volatile StrongBox<Libc.WinSize> _size = new(new Libc.WinSize { Rows = 24, Columns = 80 });

    /// <summary>
    /// Creates the launcher. With <paramref name="reapOrphans"/> it reaps every child of this process, which is
    /// right only when nothing else in the process starts children (the drover binary, made a subreaper).
    /// Every process group is registered with <paramref name="guard"/>, if given, while it lives.
    /// </summary>
    /// <param name="reapOrphans">See above.</param>
    /// <param name="guard">See above.</param>
    /// <param name="terminalFor">Which instances (by name, e.g. <c>web.1</c>) run on a pseudo-terminal; none when null.</param>
    public PosixProcessLauncher(bool reapOrphans, OrphanGuard? guard = null, Func<string, bool>? terminalFor = null)
    {
        _reaper = new Reaper(reapOrphans);
        _reapOrphans = reapOrphans;
        _guard = guard;
        _terminalFor = terminalFor;
        if (terminalFor is not null)
        {
            _size = new(Pty.SizeOf(1));
            _sigwinch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => Resize());
        }
    }

    /// <inheritdoc />
    public IProcessTerminal? Find(string instance) => _terminals.TryGetValue(instance, out var t) ? t : null;

    /// <summary>Drover's window changed: every process terminal follows.</summary>
    private void Resize()
    {
        var size = Pty.SizeOf(1);
        _size = new(size);
        foreach (var terminal in _terminals.Values)
        {
            terminal.Resize(size);
        }
    }

    /// <inheritdoc />
    public IRunningProcess Start(ProcessSpec spec, IOutputSink output, Action<int> spawned)
    {
        int readFd = -1, writeFd = -1;
        string? terminalPath = null;
        // The guard forgets the group before GroupGone completes: never after Drover's exit, which waits for it.
        var process = new PosixRunningProcess(_reaper, _guard is null ? null : _guard.Remove);
        try
        {
            // For a terminal, the "write end" is Drover's descriptor of the slave, held only until the child has its own.
            if (!spec.Helper && _terminalFor?.Invoke(spec.Name) == true)
            {
                (readFd, writeFd, terminalPath) = Pty.Open(_size.Value);
            }
            else
            {
                (readFd, writeFd) = Pipe.Create();
            }
            var stdio = new Stdio(writeFd, terminalPath);
            var direct = DirectExec.Plan(spec);
            process.Pid = _reaper.Track(
                () => direct is var (path, argv, env) ? SpawnDirect(spec, path, argv, env, stdio) : SpawnShell(spec, stdio),
                status => process.OnReaped(status));
        }
        catch (PosixException e)
        {
            if (readFd >= 0)
            {
                Libc.close(readFd);
                Libc.close(writeFd);
            }
            // Out of file descriptors, processes or memory: a failed start of this instance, named as such.
            throw LimitAdvice.For(e) is var (limit, advice)
                ? new LaunchException($"cannot start {spec.Name}: {e.Message}: {limit}", e) { LimitAdvice = advice }
                : new LaunchException($"cannot start {spec.Name}: {e.Message}", e);
        }
        // Only the child may hold the write end, so EOF means every writer in its group is done.
        Libc.close(writeFd);
        _guard?.Add(process.Pid);
        spawned(process.Pid);
        if (terminalPath is null)
        {
            process.Source = _pump.Add(readFd, output);
        }
        else
        {
            var terminal = new PtyTerminal(spec.Name, readFd, output, t => _terminals.TryRemove(new(t.Name, t)));
            _terminals[spec.Name] = terminal;
            process.Source = _pump.Add(readFd, terminal.Tap, sinkCloses: true);
        }
        process.Pump = _pump;
        process.Armed();
        return process;
    }

    /// <inheritdoc />
    /// <remarks>The new pipes are registered with the output thread when the burst ends, with one wake-up.</remarks>
    public IDisposable BeginBurst() => _pump.Hold();

    /// <summary>Where the child's stdio goes: the pipe's write end, or the terminal at <paramref name="TerminalPath"/>.</summary>
    private readonly record struct Stdio(int WriteFd, string? TerminalPath);

    private static int Spawn(string path, IReadOnlyList<string> argv, IEnumerable<string> env, string cwd, Stdio stdio) =>
        stdio.TerminalPath is string terminal
            ? Spawner.SpawnInTerminal(path, argv, env, cwd, terminal)
            : Spawner.SpawnInNewSession(path, argv, env, cwd, stdio.WriteFd);

    private static int SpawnShell(ProcessSpec spec, Stdio stdio) =>
        Spawn("/bin/sh", ["/bin/sh", "-c", spec.Command], spec.Environment.Select(kv => $"{kv.Key}={kv.Value}"), spec.WorkingDirectory, stdio);

    private static int SpawnDirect(ProcessSpec spec, string path, string[] argv, List<string> env, Stdio stdio)
    {
        try
        {
            return Spawn(path, argv, env, spec.WorkingDirectory, stdio);
        }
        catch (PosixException e) when (LimitAdvice.For(e) is null)
        {
            // Not runnable as a program (e.g. a script without #!, which sh runs itself): whatever the shell makes
            // of it, message and exit code included, is what the user would get from `sh -c`.
            return SpawnShell(spec, stdio);
        }
    }

    /// <inheritdoc />
    public Task StopStraysAsync(TimeSpan timeout, Action<string> report)
    {
        // Without reaping orphans Drover is no subreaper: nothing is re-parented to it, so there are no strays.
        if (!_reapOrphans)
        {
            return Task.CompletedTask;
        }
        return StrayProcesses.StopAsync(
            () => StrayProcesses.Find(new HashSet<int>(_reaper.TrackedPids()) { _guard?.WatchdogPid ?? 0 }),
            timeout,
            report);
    }

    /// <summary>Stops the output thread and SIGCHLD handling.</summary>
    public void Dispose()
    {
        _sigwinch?.Dispose();
        _reaper.Dispose();
        _pump.Dispose();
    }
}
