using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Starts each process in its own session and process group, with stdin from /dev/null and stdout+stderr on one
/// pipe read by the shared <see cref="OutputPump"/>: a command without shell syntax directly (one exec, see
/// <see cref="SimpleCommand"/>), any other as <c>/bin/sh -c command</c>.
/// </summary>
public sealed class PosixProcessLauncher : IProcessLauncher, IStrayProcesses, IDisposable
{
    private readonly OutputPump _pump = new();
    private readonly Reaper _reaper;
    private readonly OrphanGuard? _guard;
    private readonly bool _reapOrphans;

    /// <summary>
    /// Creates the launcher. With <paramref name="reapOrphans"/> it reaps every child of this process, which is
    /// right only when nothing else in the process starts children (the drover binary, made a subreaper).
    /// Every process group is registered with <paramref name="guard"/>, if given, while it lives.
    /// </summary>
    public PosixProcessLauncher(bool reapOrphans, OrphanGuard? guard = null)
    {
        _reaper = new Reaper(reapOrphans);
        _reapOrphans = reapOrphans;
        _guard = guard;
    }

    /// <inheritdoc />
    public IRunningProcess Start(ProcessSpec spec, IOutputSink output, Action<int> spawned)
    {
        int readFd = -1, writeFd = -1;
        // The guard forgets the group before GroupGone completes: never after Drover's exit, which waits for it.
        var process = new PosixRunningProcess(_reaper, _guard is null ? null : _guard.Remove);
        try
        {
            (readFd, writeFd) = Pipe.Create();
            var direct = DirectExec.Plan(spec);
            process.Pid = _reaper.Track(
                () => direct is var (path, argv, env) ? SpawnDirect(spec, path, argv, env, writeFd) : SpawnShell(spec, writeFd),
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
        process.Source = _pump.Add(readFd, output);
        process.Pump = _pump;
        process.Armed();
        return process;
    }

    /// <inheritdoc />
    /// <remarks>The new pipes are registered with the output thread when the burst ends, with one wake-up.</remarks>
    public IDisposable BeginBurst() => _pump.Hold();

    private static int SpawnShell(ProcessSpec spec, int writeFd) =>
        Spawner.SpawnInNewSession(
            "/bin/sh", ["/bin/sh", "-c", spec.Command], spec.Environment.Select(kv => $"{kv.Key}={kv.Value}"),
            spec.WorkingDirectory, writeFd);

    private static int SpawnDirect(ProcessSpec spec, string path, string[] argv, List<string> env, int writeFd)
    {
        try
        {
            return Spawner.SpawnInNewSession(path, argv, env, spec.WorkingDirectory, writeFd);
        }
        catch (PosixException e) when (LimitAdvice.For(e) is null)
        {
            // Not runnable as a program (e.g. a script without #!, which sh runs itself): whatever the shell makes
            // of it, message and exit code included, is what the user would get from `sh -c`.
            return SpawnShell(spec, writeFd);
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
        _reaper.Dispose();
        _pump.Dispose();
    }
}
