using System.Runtime.InteropServices;

namespace Drover.Posix.Interop;

/// <summary>A failed system call, with the call's name and errno in the message so the user can act on it.</summary>
public sealed class PosixException : Exception
{
    /// <summary>Creates the exception for <paramref name="call"/> failing with <paramref name="errno"/>.</summary>
    public PosixException(string call, int errno)
        : base($"{call} failed: {Libc.StrError(errno)} (errno {errno})")
    {
        Errno = errno;
    }

    /// <summary>The errno value the call returned.</summary>
    public int Errno { get; }

    /// <summary>Throws for the calling thread's last P/Invoke error.</summary>
    internal static PosixException Last(string call) => new(call, Marshal.GetLastPInvokeError());
}
