using System.Runtime.InteropServices;

namespace Drover.Cli.Tests.Support;

/// <summary>The Linux signal numbers the tests send.</summary>
public enum UnixSignal
{
    /// <summary>SIGHUP.</summary>
    Hangup = 1,

    /// <summary>SIGINT (Ctrl-C).</summary>
    Interrupt = 2,

    /// <summary>SIGKILL.</summary>
    Kill = 9,

    /// <summary>SIGUSR1: the tests' "please exit now" for shell children that trap it.</summary>
    User1 = 10,

    /// <summary>SIGTERM.</summary>
    Terminate = 15,
}

/// <summary>kill(2), straight from libc.</summary>
internal static class Libc
{
    private const int ESRCH = 3;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when no such process exists.</summary>
    public static bool Send(int pid, UnixSignal signal)
    {
        if (pid <= 1)
        {
            // kill(0), kill(-1) and kill(1) would hit far more than the process under test.
            throw new ArgumentOutOfRangeException(nameof(pid), pid, "refusing to signal this pid");
        }
        if (kill(pid, (int)signal) == 0)
        {
            return true;
        }
        int errno = Marshal.GetLastPInvokeError();
        return errno == ESRCH ? false : throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {errno}");
    }

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int kill(int pid, int sig);
}
