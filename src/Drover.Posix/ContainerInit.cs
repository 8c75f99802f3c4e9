using System.Diagnostics;
using System.Runtime.InteropServices;
using Drover.Core.Supervision;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Drover started as PID 1 (a container's entrypoint with no init). The .NET runtime then reaps every child
/// itself (it takes on init's duty of reaping orphans), so Drover's own reaper would never see its processes
/// exit. Instead, PID 1 runs the same command line again as its one child and stays a minimal init: it forwards
/// signals, lets the runtime reap whatever is orphaned to it, and exits with the child's status. The child is an
/// ordinary Drover (a subreaper of its own tree), as under <c>--init</c>, tini or catatonit.
/// </summary>
public static class ContainerInit
{
    /// <summary>True when this process is PID 1 of its pid namespace.</summary>
    public static bool IsPid1 => Libc.getpid() == 1;

    /// <summary>
    /// Runs this process's own command line as a child and waits for it; returns its exit code (128 + signal
    /// when a signal ended it, as a shell reports it).
    /// </summary>
    public static int RunChild()
    {
        // The program itself comes from the kernel (under `dotnet drover.dll` that is dotnet, and argv[1] the dll).
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "/proc/self/exe") { UseShellExecute = false };
        foreach (string arg in OwnCommandLine.Argv().Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        // SIGINT from a terminal (podman run -it) reaches the child directly, being in the same process group:
        // passed on as well, Ctrl-C would arrive twice and the second one means "kill now". Without a terminal it
        // can only come from outside (podman kill -s INT), aimed at PID 1 alone, and is passed on.
        bool terminal = Libc.isatty(0) == 1;
        (PosixSignal, int)[] forwarded =
        [
            (PosixSignal.SIGTERM, Signals.Term), (PosixSignal.SIGHUP, Signals.Hangup), (PosixSignal.SIGQUIT, Signals.Quit),
            ((PosixSignal)Signals.Usr1, Signals.Usr1), ((PosixSignal)Signals.Usr2, Signals.Usr2),
        ];
        using var forwarder = terminal
            ? new SignalForwarder(forwarded, [PosixSignal.SIGINT])
            : new SignalForwarder([.. forwarded, (PosixSignal.SIGINT, Signals.Interrupt)], []);
        using var child = Process.Start(start)!;
        forwarder.Started(child.Id);
        child.WaitForExit();
        return child.ExitCode;
    }
}
