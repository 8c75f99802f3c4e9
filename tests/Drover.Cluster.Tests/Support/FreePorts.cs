using System.Net;
using System.Net.Sockets;

namespace Drover.Cluster.Tests.Support;

/// <summary>Ports the kernel just handed out as free (all held at once, so they differ).</summary>
internal static class FreePorts
{
    public static int[] Take(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return s;
        }).ToList();
        int[] ports = sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        sockets.ForEach(s => s.Dispose());
        return ports;
    }

    /// <summary>
    /// A port <c>p</c> such that <c>p</c> and <c>p + 1</c> are both free now (a base port for two slots), below
    /// the kernel's ephemeral range so that no outgoing connection takes one of them meanwhile.
    /// </summary>
    public static int TakePair()
    {
        while (true)
        {
            int p = Random.Shared.Next(20000, 32000);
            if (IsFree(p) && IsFree(p + 1))
            {
                return p;
            }
        }
    }

    private static bool IsFree(int port)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            s.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
