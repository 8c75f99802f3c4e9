using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Waits for input on a descriptor with a timeout, so a reader of the terminal can stop between reads (a blocking
/// read of stdin cannot be cancelled, and would steal the keys meant for whoever gets the terminal next).
/// </summary>
public static unsafe class InputWait
{
    /// <summary>True when <paramref name="fd"/> has input (or its end, or an error) within <paramref name="timeoutMs"/>.</summary>
    public static bool Readable(int fd, int timeoutMs)
    {
        var poll = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
        return Libc.poll(&poll, 1, timeoutMs) > 0;
    }
}
