using System.Net;
using System.Net.Sockets;

namespace Drover.Cluster.Agent;

/// <summary>Whether a local process accepts connections on its PORT: the readiness a rolling restart waits for.</summary>
public static class PortProbe
{
    /// <summary>True when a TCP connection to 127.0.0.1:<paramref name="port"/> is accepted within 300 ms.</summary>
    public static async Task<bool> IsListeningAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
