using System.Net.Sockets;

namespace Drover.Control;

/// <summary>
/// Makes the control socket's place ready: no live Drover already there, and no stale socket left by a Drover that
/// was killed. The folder itself is checked first (<c>Drover.Posix.SocketFolder</c>): private, and the user's own.
/// </summary>
public static class SocketGuard
{
    /// <summary>A socket nobody answers on is taken for stale only once it is this old: a Drover that has just
    /// bound its socket and is about to listen must not lose it.</summary>
    private static readonly TimeSpan StaleAge = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Prepares <paramref name="socketPath"/> for binding. Throws <see cref="AlreadyRunningException"/> when a
    /// Drover answers on it; removes it when nobody does (a stale socket), and other stale sockets in its folder.
    /// </summary>
    public static void Prepare(string socketPath)
    {
        string dir = Path.GetDirectoryName(socketPath)!;
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        RemoveStale(dir, socketPath);
        if (!File.Exists(socketPath))
        {
            return;
        }
        if (IsAnswering(socketPath))
        {
            throw new AlreadyRunningException(socketPath);
        }
        File.Delete(socketPath);
    }

    /// <summary>True when something accepts connections on <paramref name="socketPath"/>.</summary>
    public static bool IsAnswering(string socketPath) => AnswererUid(socketPath, out _);

    /// <summary>
    /// True when something accepts connections on <paramref name="socketPath"/>; <paramref name="uid"/> is then the
    /// user it runs as (SO_PEERCRED), so a caller trusts only itself or root.
    /// </summary>
    public static bool AnswererUid(string socketPath, out uint? uid)
    {
        uid = null;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            uid = PeerCredentials.Uid(socket);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes the sockets in <paramref name="dir"/> that nobody listens on any more (connection refused) and that
    /// are older than a few seconds: what Drovers killed with SIGKILL left behind.
    /// </summary>
    private static void RemoveStale(string dir, string ours)
    {
        IEnumerable<string> sockets;
        try
        {
            sockets = Directory.EnumerateFiles(dir, "*.sock").ToList();
        }
        catch (IOException)
        {
            return;
        }
        foreach (string path in sockets)
        {
            if (path == ours || DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < StaleAge || new FileInfo(path).LinkTarget is not null)
            {
                continue;
            }
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                File.Delete(path);
            }
            catch (SocketException)
            {
                // Busy or not a socket: not ours to judge.
            }
        }
    }
}

/// <summary>Another Drover already runs this app.</summary>
public sealed class AlreadyRunningException(string socketPath)
    : Exception($"a Drover is already running this app (control socket {socketPath})")
{
    /// <summary>The socket it answers on.</summary>
    public string SocketPath { get; } = socketPath;
}
