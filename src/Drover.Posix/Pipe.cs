using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>A pipe whose read end is non-blocking (for the output pump) and whose write end stays blocking (for the child).</summary>
internal static unsafe class Pipe
{
    /// <summary>Creates the pipe; both ends close-on-exec so no other child inherits them.</summary>
    public static (int Read, int Write) Create()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
        {
            throw PosixException.Last("pipe2");
        }
        int flags = Libc.fcntl(fds[0], Libc.F_GETFL, 0);
        if (flags < 0 || Libc.fcntl(fds[0], Libc.F_SETFL, flags | Libc.O_NONBLOCK) < 0)
        {
            var e = PosixException.Last("fcntl(O_NONBLOCK)");
            Libc.close(fds[0]);
            Libc.close(fds[1]);
            throw e;
        }
        return (fds[0], fds[1]);
    }

    /// <summary>Creates a pipe with both ends blocking and close-on-exec.</summary>
    public static (int Read, int Write) CreateBlocking()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
        {
            throw PosixException.Last("pipe2");
        }
        return (fds[0], fds[1]);
    }
}
