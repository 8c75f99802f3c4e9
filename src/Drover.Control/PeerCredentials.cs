using System.Net.Sockets;

namespace Drover.Control;

/// <summary>SO_PEERCRED of a Unix socket connection: which user is on the other end.</summary>
internal static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The peer's uid, or null when the kernel does not say.</summary>
    public static uint? Uid(Socket socket)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            int n = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
            return n >= 8 ? BitConverter.ToUInt32(ucred[4..8]) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
