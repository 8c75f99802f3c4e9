using System.Net.Sockets;

namespace Drover.Core.Probes;

/// <summary>Passes when a TCP connection to <paramref name="host"/>:<paramref name="port"/> is accepted (<c>tcp_socket</c>).</summary>
public sealed class TcpProbeCheck(string host, int port) : IProbeCheck
{
    /// <inheritdoc />
    public async Task<ProbeResult> CheckAsync(CancellationToken cancel)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, cancel).ConfigureAwait(false);
            return ProbeResult.Pass($"{host}:{port} accepts connections");
        }
        catch (SocketException e)
        {
            return ProbeResult.Fail($"{host}:{port}: {e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                _ => e.Message,
            }}");
        }
    }
}
