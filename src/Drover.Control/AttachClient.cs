using System.Net.Sockets;
using System.Text;

namespace Drover.Control;

/// <summary>
/// The client side of GET /v1/attach: HttpClient cannot hand over a connection after <c>101 Switching Protocols</c>,
/// so the request is written by hand on the Unix socket, with the same peer check as <see cref="ControlClient"/>.
/// </summary>
public static class AttachClient
{
    /// <summary>
    /// Connects to <paramref name="socketPath"/> and asks to attach to <paramref name="instance"/>. Returns the raw
    /// two-way stream, or null with the server's status and error body.
    /// </summary>
    /// <exception cref="UntrustedSocketException">Another user answers on the socket.</exception>
    /// <exception cref="SocketException">Nobody answers.</exception>
    public static async Task<(Stream? Stream, int Status, string Error)> ConnectAsync(string socketPath, uint ownUid, string instance)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
            uint? peer = PeerCredentials.Uid(socket);
            if (peer != ownUid && peer != 0)
            {
                throw new UntrustedSocketException(socketPath, peer);
            }
            var stream = new NetworkStream(socket, ownsSocket: true);
            string request = $"GET /v1/attach?target={Uri.EscapeDataString(instance)} HTTP/1.1\r\nHost: drover\r\n"
                + $"Connection: Upgrade\r\nUpgrade: {AttachEndpoint.Protocol}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).ConfigureAwait(false);
            var (status, length) = await ReadHeadAsync(stream).ConfigureAwait(false);
            if (status == 101)
            {
                return (stream, status, "");
            }
            var body = new byte[Math.Clamp(length, 0, 64 * 1024)];
            await stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false).ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            return (null, status, Encoding.UTF8.GetString(body));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads the status line and headers, byte by byte so nothing after them is consumed.</summary>
    private static async Task<(int Status, int ContentLength)> ReadHeadAsync(Stream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 16 * 1024)
        {
            if (await stream.ReadAsync(one).ConfigureAwait(false) == 0)
            {
                break;
            }
            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }
        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
        string[] statusLine = lines[0].Split(' ');
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], out int status))
        {
            throw new IOException("the control socket did not answer with HTTP");
        }
        int length = 0;
        foreach (string line in lines.Skip(1))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                _ = int.TryParse(line["Content-Length:".Length..].Trim(), out length);
            }
        }
        return (status, length);
    }
}
