using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>Who this process runs as.</summary>
public static class UserIdentity
{
    /// <summary>The real user id.</summary>
    public static uint Uid() => Libc.getuid();
}
