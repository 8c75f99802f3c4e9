using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Drover started with stdin, stdout or stderr closed (<c>drover start &gt;&amp;-</c>): the runtime's own first
/// files then take those numbers, and Drover's output would go into one of them. Each of fds 0-2 must be what was
/// inherited, or /dev/null.
/// </summary>
public static unsafe class StandardDescriptors
{
    /// <summary>
    /// Puts /dev/null on each of fds 0-2 that was closed at exec. One that the runtime has already taken (it opens
    /// everything close-on-exec, which an inherited stream never is) cannot be taken back under it: then Drover
    /// runs itself again, same pid and arguments, with /dev/null there. Returns only when all three are fine.
    /// </summary>
    public static void EnsureOpen()
    {
        bool reexec = false;
        for (int fd = 0; fd <= 2; fd++)
        {
            int flags = Libc.fcntl(fd, Libc.F_GETFD, 0);
            if (flags >= 0 && (flags & Libc.FD_CLOEXEC) == 0)
            {
                continue; // inherited: leave it
            }
            int devNull = Libc.open("/dev/null", Libc.O_RDWR);
            if (devNull < 0)
            {
                return;
            }
            if (devNull != fd)
            {
                Libc.dup2(devNull, fd);
                Libc.close(devNull);
            }
            reexec |= flags >= 0;
        }
        if (reexec)
        {
            Exec();
        }
    }

    private static void Exec()
    {
        string[] argv = OwnCommandLine.Argv();
        using var strings = new NativeStrings();
        byte** cArgv = strings.Array(argv);
        Libc.execv(strings.String("/proc/self/exe"), cArgv);
        // execv returned: it failed, and fds 0-2 are /dev/null now anyway; carry on.
    }
}
