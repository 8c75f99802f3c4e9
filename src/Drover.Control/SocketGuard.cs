using System.Net.Sockets;

namespace Drover.Control;

/// <summary>
/// Makes the control socket's place ready: a private folder (0700), no live Drover already there, and no stale
/// socket left by a Drover that was killed.
/// </summary>
public static class SocketGuard
{
    /// <summary>
    /// Prepares <paramref name="socketPath"/> for binding. Throws <see cref="AlreadyRunningException"/> when a
    /// Drover answers on it; removes it when nobody does (a stale socket).
    /// </summary>
    public static void Prepare(string socketPath)
    {
        string dir = Path.GetDirectoryName(socketPath)!;
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // CreateDirectory leaves an existing folder's mode alone: make sure nobody else can enter it.
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
    public static bool IsAnswering(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
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
