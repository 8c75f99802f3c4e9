namespace Drover.Posix;

/// <summary>This process's argv exactly as the kernel holds it, for running itself again (the runtime's
/// <c>Environment.GetCommandLineArgs</c> drops what the host consumed, e.g. <c>dotnet drover.dll</c>).</summary>
internal static class OwnCommandLine
{
    /// <summary>argv[0] onwards.</summary>
    public static string[] Argv() => File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');
}
