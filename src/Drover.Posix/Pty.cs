using System.Runtime.InteropServices;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// A new pseudo-terminal pair. Drover keeps the master (non-blocking, close-on-exec) and holds the slave open only
/// until the child has opened it itself (by path, so it becomes the child's controlling terminal): from then on
/// the child's group is the only holder of the slave, and reading the master ends (EIO) when the last one closes it.
/// </summary>
internal static unsafe class Pty
{
    /// <summary>Opens a pair with the window size <paramref name="size"/>; the caller closes both descriptors.</summary>
    public static (int Master, int Slave, string SlavePath) Open(Libc.WinSize size)
    {
        int master = Libc.posix_openpt(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
        if (master < 0)
        {
            throw PosixException.Last("posix_openpt");
        }
        int slave = -1;
        try
        {
            if (Libc.grantpt(master) != 0)
            {
                throw PosixException.Last("grantpt");
            }
            if (Libc.unlockpt(master) != 0)
            {
                throw PosixException.Last("unlockpt");
            }
            byte* name = stackalloc byte[128];
            int rc = Libc.ptsname_r(master, name, 128);
            if (rc != 0)
            {
                throw new PosixException("ptsname_r", rc);
            }
            string path = Marshal.PtrToStringUTF8((nint)name)!;
            slave = Libc.open(path, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
            if (slave < 0)
            {
                throw PosixException.Last($"open {path}");
            }
            // Output processing off: "\n" stays "\n", so the output becomes lines for prefixes and logs exactly as
            // through a pipe, and a terminal that shows them (Drover's, or an attached one) adds its own carriage
            // return. With only ONLCR off the kernel still scanned every byte a child wrote (OPOST), for nothing.
            Libc.Termios t;
            if (Libc.tcgetattr(slave, &t) == 0)
            {
                t.OutputFlags &= ~(Libc.OPOST | Libc.ONLCR);
                _ = Libc.tcsetattr(slave, Libc.TCSANOW, &t);
            }
            Resize(master, size);
            int flags = Libc.fcntl(master, Libc.F_GETFL, 0);
            if (flags < 0 || Libc.fcntl(master, Libc.F_SETFL, flags | Libc.O_NONBLOCK) < 0)
            {
                throw PosixException.Last("fcntl(O_NONBLOCK)");
            }
            return (master, slave, path);
        }
        catch
        {
            if (slave >= 0)
            {
                Libc.close(slave);
            }
            Libc.close(master);
            throw;
        }
    }

    /// <summary>Sets the window size; the kernel sends SIGWINCH to the terminal's foreground group when it changes.</summary>
    public static void Resize(int master, Libc.WinSize size) => _ = Libc.ioctl(master, Libc.TIOCSWINSZ, &size);

    /// <summary>
    /// The size of the terminal on <paramref name="fd"/>, or 80x24 when it is not a terminal (a window of zero
    /// columns makes some programs wrap at every character).
    /// </summary>
    public static Libc.WinSize SizeOf(int fd)
    {
        Libc.WinSize size;
        if (Libc.ioctl(fd, Libc.TIOCGWINSZ, &size) == 0 && size.Rows > 0 && size.Columns > 0)
        {
            return size;
        }
        return new Libc.WinSize { Rows = 24, Columns = 80 };
    }
}
