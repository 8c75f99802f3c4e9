using System.Net;
using System.Net.Sockets;

namespace Drover.Core.Control;

/// <summary>Checks whether something accepts TCP connections on a local port: how a rolling restart knows a web process is up.</summary>
public static class PortProbe
{
    /// <summary>True when a connection to 127.0.0.1:<paramref name="port"/> (or [::1]) is accepted.</summary>
    public static async Task<bool> IsAcceptingAsync(int port, CancellationToken cancel = default)
    {
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancel).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                // Refused or unreachable on this family: try the other.
            }
        }
        return false;
    }
}
