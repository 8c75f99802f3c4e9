using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Turns a start that failed for lack of a resource (EMFILE, ENFILE, EAGAIN, ENOMEM) into a message that names
/// the limit and says how to raise it.
/// </summary>
internal static class LimitAdvice
{
    public const string OpenFiles = "raise it with `ulimit -n` before starting Drover (or LimitNOFILE= in its systemd unit), or run fewer processes";

    public const string Processes = "raise it with `ulimit -u` (or LimitNPROC=/TasksMax= in a systemd unit, --pids-limit for a container), or run fewer processes";

    /// <summary>The limit behind <paramref name="e"/> and what to do, or null when it is not a resource error.</summary>
    public static (string Limit, string Advice)? For(PosixException e) => e.Errno switch
    {
        Libc.EMFILE => ($"the open-file limit (RLIMIT_NOFILE {Describe(ResourceLimits.OpenFileLimit())}) is reached", OpenFiles),
        Libc.ENFILE => ("the system's open-file table (fs.file-max) is full", "raise fs.file-max (sysctl), or run fewer processes"),
        Libc.EAGAIN => ($"the process limit is reached (RLIMIT_NPROC {Describe(ResourceLimits.ProcessLimit())} for uid {UserIdentity.Uid()}, kernel.pid_max, or the cgroup's pids.max)", Processes),
        Libc.ENOMEM => ("the system is out of memory", "free memory or run fewer processes"),
        _ => null,
    };

    private static string Describe(ulong? limit) => limit is ulong n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unlimited";
}
