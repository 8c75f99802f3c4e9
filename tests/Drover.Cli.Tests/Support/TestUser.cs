using System.Diagnostics;
using System.Globalization;

namespace Drover.Cli.Tests.Support;

/// <summary>
/// A second, unprivileged user for the tests that need one (process limits only bind non-root users; a socket
/// folder taken by someone else): created with useradd when missing. The tests run as root.
/// </summary>
internal static class TestUser
{
    public const string Name = "drovertest";

    private static readonly Lazy<(uint Uid, uint Gid)> Ids = new(Ensure);

    public static uint Uid => Ids.Value.Uid;

    public static uint Gid => Ids.Value.Gid;

    /// <summary>
    /// A shell script for <see cref="DroverProcess.StartThroughShell"/>: runs drover as this user, without
    /// XDG_RUNTIME_DIR (so its socket folder is /tmp/drover-UID), with <paramref name="limits"/> given to prlimit
    /// (e.g. <c>--nproc=60</c>). Every step execs, so the pid is drover's.
    /// </summary>
    public static string Script(string limits = "") =>
        $"exec setpriv --reuid={Uid} --regid={Gid} --clear-groups env -u XDG_RUNTIME_DIR HOME=/ prlimit {limits} -- \"$0\" \"$@\"";

    /// <summary>Runs <paramref name="command"/> with sh as this user and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> ShAsync(string command, string workingDirectory = "/")
    {
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in new[] { $"--reuid={Uid}", $"--regid={Gid}", "--clear-groups", "sh", "-c", command })
        {
            info.ArgumentList.Add(a);
        }
        info.Environment.Remove("XDG_RUNTIME_DIR");
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(DroverProcess.Patience);
        return (p.ExitCode, await stdout + await stderr);
    }

    private static (uint, uint) Ensure()
    {
        if (Id("-u") is null)
        {
            Run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", Name);
        }
        return (Id("-u") ?? throw new InvalidOperationException($"cannot create user {Name}"), Id("-g")!.Value);
    }

    private static uint? Id(string flag)
    {
        var (code, output) = Run("id", flag, Name);
        return code == 0 ? uint.Parse(output.Trim(), CultureInfo.InvariantCulture) : null;
    }

    private static (int, string) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var p = Process.Start(info)!;
        string output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
