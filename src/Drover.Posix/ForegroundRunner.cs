using System.Runtime.InteropServices;
using Drover.Core.Supervision;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Runs one command in the foreground for <c>drover run</c>: same terminal, stdio and process group, so an
/// interactive program (a console, a migration prompt) works and Ctrl-C reaches it directly from the terminal.
/// </summary>
public static unsafe class ForegroundRunner
{
    /// <summary>
    /// Runs <paramref name="argv"/> (PATH is searched for argv[0]) and waits for it. SIGTERM, SIGHUP and SIGQUIT sent to
    /// Drover are passed on; SIGINT is not, since the terminal already delivers Ctrl-C to the whole foreground group.
    /// </summary>
    /// <exception cref="LaunchException">The command could not be started.</exception>
    public static ExitStatus Run(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        // Handlers go in before the spawn: a SIGTERM arriving while the command starts must reach it.
        using var forwarder = new SignalForwarder(
            [(PosixSignal.SIGTERM, Signals.Term), (PosixSignal.SIGHUP, Signals.Hangup), (PosixSignal.SIGQUIT, Signals.Quit)],
            [PosixSignal.SIGINT]);
        int pid;
        try
        {
            pid = Spawner.SpawnForeground(argv[0], argv, environment.Select(kv => $"{kv.Key}={kv.Value}"), workingDirectory);
        }
        catch (PosixException e)
        {
            throw new LaunchException(e.Message, e);
        }
        forwarder.Started(pid);
        while (true)
        {
            int status;
            int r = Libc.waitpid(pid, &status, 0);
            if (r == pid)
            {
                return Reaper.Decode(status);
            }
            if (r < 0 && Marshal.GetLastPInvokeError() != Libc.EINTR)
            {
                throw PosixException.Last("waitpid");
            }
        }
    }
}
