using System.IO.Hashing;
using System.Text;

namespace Drover.Core.Control;

/// <summary>
/// Where the control socket of the Drover running an app lives, derived from the app root alone so that every
/// `drover` command for that app finds it without a PID file: <c>$XDG_RUNTIME_DIR/drover/NAME-HASH.sock</c>, or
/// <c>/tmp/drover-UID/NAME-HASH.sock</c> without XDG_RUNTIME_DIR. The folder is private to the user (0700).
/// </summary>
public static class ControlAddress
{
    /// <summary>The folder holding the sockets of one user.</summary>
    public static string Directory(string? xdgRuntimeDir, uint uid) =>
        string.IsNullOrEmpty(xdgRuntimeDir)
            ? Path.Combine(Path.GetTempPath(), $"drover-{uid}")
            : Path.Combine(xdgRuntimeDir, "drover");

    /// <summary>The socket path for the app whose absolute root is <paramref name="appRoot"/>.</summary>
    public static string SocketPath(string appRoot, string? xdgRuntimeDir, uint uid)
    {
        string normalized = Path.TrimEndingDirectorySeparator(Path.GetFullPath(appRoot));
        // A non-cryptographic hash is enough to tell app roots apart, and unlike SHA-256 it does not load
        // libcrypto (3 MiB of resident memory) into every Drover.
        string hash = Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(normalized)));
        // A readable prefix helps a person looking at the folder; the hash makes it unique. Socket paths are
        // limited to 107 bytes, so the name is cut short.
        string name = new string(Path.GetFileName(normalized).Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(24).ToArray());
        return Path.Combine(Directory(xdgRuntimeDir, uid), $"{(name.Length == 0 ? "app" : name)}-{hash}.sock");
    }
}
