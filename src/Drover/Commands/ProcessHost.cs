using Drover.Core.Output;
using Drover.Posix;

namespace Drover.Cli.Commands;

/// <summary>
/// What every host of a formation (`drover start`, `drover agent`) sets up before its first process: the child
/// subreaper, the orphan guard and the launcher. What cannot be had is a warning on the system stream, never a
/// failure to run.
/// </summary>
internal sealed class ProcessHost : IDisposable
{
    private readonly OrphanGuard? _guard;

    private ProcessHost(PosixProcessLauncher launcher, OrphanGuard? guard)
    {
        Launcher = launcher;
        _guard = guard;
    }

    /// <summary>Starts processes in their own groups, reaps them, and registers them with the orphan guard.</summary>
    public PosixProcessLauncher Launcher { get; }

    /// <summary>
    /// Sets everything up; <paramref name="host"/> names who may die in the warnings ("Drover", "the agent");
    /// <paramref name="terminalFor"/> picks the instances that run on a pseudo-terminal.
    /// </summary>
    public static ProcessHost Start(OutputHub output, string host, Func<string, bool>? terminalFor = null)
    {
        ThreadPoolReserve.Fill();
        // Orphaned grandchildren come back to us instead of init, so shutdown can wait for them too.
        string? subreaperError = Subreaper.TryEnable();
        if (subreaperError is not null)
        {
            output.System($"warning: {subreaperError}; grandchildren that outlive their parent are not tracked");
        }
        // If the host itself is killed, the guard's watchdog takes its processes down with it.
        var (guard, guardProblem) = OrphanGuard.Start();
        if (guardProblem is not null)
        {
            output.System($"warning: cannot start the orphan guard ({guardProblem}); if {host} is killed, its processes will survive it");
        }
        if (guard is not null)
        {
            // A watchdog that dies or is stopped is replaced; the user is told each time.
            guard.Warn = output.System;
        }
        return new ProcessHost(new PosixProcessLauncher(reapOrphans: subreaperError is null, guard, terminalFor), guard);
    }

    /// <summary>The launcher first (it deregisters its groups from the guard), then the guard.</summary>
    public void Dispose()
    {
        Launcher.Dispose();
        _guard?.Dispose();
    }
}
