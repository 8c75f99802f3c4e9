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
}
