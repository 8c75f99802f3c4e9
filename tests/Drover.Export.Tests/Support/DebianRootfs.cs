using System.Security.Cryptography;
using System.Text;

namespace Drover.Export.Tests.Support;

/// <summary>
/// A minimal Debian bookworm root file system with systemd, perl and a user <see cref="User"/>, built once by
/// mmdebstrap from the machine's apt mirror and kept in <see cref="CacheDirectory"/> between test runs. The
/// systemd test boots it read-only (the container writes to an overlay); the podman tests import it as an image.
/// </summary>
/// <remarks>
/// The directory's name holds a hash of everything that decides its content, so changing the package list builds
/// a new one. It is built into a temporary directory and renamed into place, so a killed build never leaves a
/// half rootfs under the final name; a lock file keeps two test processes from building it at once.
/// </remarks>
internal static class DebianRootfs
{
    /// <summary>The user the exported units run as (created in the rootfs).</summary>
    public const string User = "drovertest";

    /// <summary>The uid of <see cref="User"/>, fixed so the Kubernetes export can name it.</summary>
    public const int Uid = 4242;

    private const string Suite = "bookworm";
    private const string Packages = "systemd,systemd-sysv,dbus,procps,perl-base,passwd";
    private static readonly string Hook = $"chroot \"$1\" useradd --system --uid {Uid} --no-create-home --shell /usr/sbin/nologin {User}";

    private static readonly Lazy<string> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Where the rootfs is cached: <c>DROVER_TEST_CACHE</c>, else <c>/var/cache/drover-tests</c>.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("DROVER_TEST_CACHE") is { Length: > 0 } dir ? dir : "/var/cache/drover-tests";

    /// <summary>A short hash of what the rootfs holds, part of its directory name and of image names.</summary>
    public static string Key { get; } = Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes($"{Suite}\nminbase\n{Packages}\n{Hook}")))[..16];

    /// <summary>The rootfs directory, built on first use.</summary>
    public static string Path => Built.Value;

    private static string Build()
    {
        Directory.CreateDirectory(CacheDirectory);
        string final = System.IO.Path.Combine(CacheDirectory, $"rootfs-{Key}");
        if (Directory.Exists(final))
        {
            return final;
        }
        using var lockFile = Lock(System.IO.Path.Combine(CacheDirectory, $"rootfs-{Key}.lock"));
        if (Directory.Exists(final))
        {
            return final;
        }
        // Leftovers of a build that was killed.
        foreach (var stale in Directory.EnumerateDirectories(CacheDirectory, $".rootfs-{Key}.*"))
        {
            Directory.Delete(stale, recursive: true);
        }
        string tmp = System.IO.Path.Combine(CacheDirectory, $".rootfs-{Key}.{Environment.ProcessId}");
        var (code, stdout, stderr) = Commands.Run("mmdebstrap",
            ["--variant=minbase", $"--include={Packages}", $"--customize-hook={Hook}", Suite, tmp],
            TimeSpan.FromMinutes(8));
        if (code != 0)
        {
            throw new InvalidOperationException($"mmdebstrap failed ({code}):\n{stdout}\n{stderr}");
        }
        Directory.Move(tmp, final);
        return final;
    }

    /// <summary>An exclusive lock on <paramref name="path"/> (created if missing), held until disposed.</summary>
    public static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock on Unix: another process waits here.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(500);
            }
        }
    }
}
