using System.Net;
using System.Net.Sockets;

namespace Drover.Cli.Tests.Support;

/// <summary>Whether instances accept connections, for tests that a rolling restart never leaves a type unreachable.</summary>
internal static class ListeningPorts
{
    /// <summary>True when a TCP connect to <paramref name="port"/> on loopback succeeds.</summary>
    public static bool Accepts(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Counts moments, until <paramref name="stop"/>, when neither port accepts: a probe of A fails, then B, then A again.</summary>
    public static int CountGaps(int a, int b, CancellationToken stop)
    {
        int gaps = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!Accepts(a) && !Accepts(b) && !Accepts(a))
            {
                gaps++;
            }
        }
        return gaps;
    }
}
