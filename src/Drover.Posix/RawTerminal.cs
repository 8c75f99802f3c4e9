using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// The user's terminal in raw mode for <c>drover attach</c>: every key (Ctrl-C included) goes to the attached
/// process's terminal instead of being acted on here, and nothing is echoed locally (the process's terminal
/// echoes). Output processing stays on, so a "\n" from the process starts a new line. Disposing restores the mode.
/// </summary>
public sealed unsafe class RawTerminal : IDisposable
{
    private readonly int _fd;
    private readonly Libc.Termios _saved;
    private int _restored;

    private RawTerminal(int fd, Libc.Termios saved)
    {
        _fd = fd;
        _saved = saved;
    }

    /// <summary>True when <paramref name="fd"/> is a terminal (isatty).</summary>
    public static bool IsTerminal(int fd) => Libc.isatty(fd) == 1;

    /// <summary>Puts the terminal on <paramref name="fd"/> in raw mode; null when it is not a terminal.</summary>
    public static RawTerminal? Enter(int fd)
    {
        Libc.Termios t;
        if (Libc.tcgetattr(fd, &t) != 0)
        {
            return null;
        }
        var saved = t;
        t.InputFlags &= ~(Libc.IGNBRK | Libc.BRKINT | Libc.PARMRK | Libc.ISTRIP | Libc.INLCR | Libc.IGNCR | Libc.ICRNL | Libc.IXON);
        t.LocalFlags &= ~(Libc.ECHO | Libc.ECHONL | Libc.ICANON | Libc.ISIG | Libc.IEXTEN);
        t.ControlFlags = (t.ControlFlags & ~(Libc.CSIZE | Libc.PARENB)) | Libc.CS8;
        t.OutputFlags |= Libc.OPOST | Libc.ONLCR;
        t.ControlChars[Libc.VMIN] = 1;
        t.ControlChars[Libc.VTIME] = 0;
        if (Libc.tcsetattr(fd, Libc.TCSANOW, &t) != 0)
        {
            return null;
        }
        return new RawTerminal(fd, saved);
    }

    /// <summary>The window size of the terminal on <paramref name="fd"/> (80x24 when it has none).</summary>
    public static (int Rows, int Columns) SizeOf(int fd)
    {
        var size = Pty.SizeOf(fd);
        return (size.Rows, size.Columns);
    }

    /// <summary>Restores the mode the terminal had before.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 0)
        {
            var saved = _saved;
            _ = Libc.tcsetattr(_fd, Libc.TCSANOW, &saved);
        }
    }
}
