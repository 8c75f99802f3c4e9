using System.Runtime.InteropServices;

namespace Drover.Bench;

/// <summary>The two system calls the harness needs beyond what .NET offers: sending a signal to one pid.</summary>
internal static partial class Libc
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it no longer exists.</summary>
    public static bool Kill(int pid, int signal) => pid > 0 && KillNative(pid, signal) == 0;
}
