using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Makes this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER): grandchildren orphaned by a dying
/// shell are re-parented to Drover instead of init, so Drover can still see and reap them.
/// </summary>
public static class Subreaper
{
    /// <summary>Tries to become a subreaper; returns an error message when the kernel refuses, else null.</summary>
    public static string? TryEnable() =>
        Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
            ? null
            : PosixException.Last("prctl(PR_SET_CHILD_SUBREAPER)").Message;
}
