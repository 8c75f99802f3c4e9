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
            var (status, head) = await ReadHeadAsync(stream).ConfigureAwait(false);
            if (status == 101)
            {
                return (stream, status, "");
            }
            string body = await ReadBodyAsync(stream, head).ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            return (null, status, body);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads the status line and headers, byte by byte so nothing after them is consumed.</summary>
    private static async Task<(int Status, string[] Headers)> ReadHeadAsync(Stream stream)
    {
        string[] lines = (await ReadUntilAsync(stream, "\r\n\r\n").ConfigureAwait(false)).Split("\r\n");
        string[] statusLine = lines[0].Split(' ');
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], out int status))
        {
            throw new IOException("the control socket did not answer with HTTP");
        }
        return (status, lines[1..]);
    }

    /// <summary>An error answer's body: by Content-Length, or chunked (as Kestrel sends JSON).</summary>
    private static async Task<string> ReadBodyAsync(Stream stream, string[] headers)
    {
        string? Header(string name) => headers
            .Where(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(h => h[(name.Length + 1)..].Trim())
            .FirstOrDefault();
        var body = new MemoryStream();
        if (Header("Transfer-Encoding") is string te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (body.Length < 64 * 1024)
            {
                string sizeLine = (await ReadUntilAsync(stream, "\r\n").ConfigureAwait(false)).Trim();
                if (!int.TryParse(sizeLine.Split(';')[0], System.Globalization.NumberStyles.HexNumber, null, out int size) || size == 0)
                {
                    break;
                }
                await CopyAsync(stream, body, size).ConfigureAwait(false);
                await ReadUntilAsync(stream, "\r\n").ConfigureAwait(false);
            }
        }
        else if (int.TryParse(Header("Content-Length"), out int length))
        {
            await CopyAsync(stream, body, Math.Clamp(length, 0, 64 * 1024)).ConfigureAwait(false);
        }
        return Encoding.UTF8.GetString(body.ToArray());
    }

    private static async Task CopyAsync(Stream from, MemoryStream to, int count)
    {
        var buffer = new byte[count];
        int n = await from.ReadAtLeastAsync(buffer, count, throwOnEndOfStream: false).ConfigureAwait(false);
        to.Write(buffer, 0, n);
    }

    /// <summary>Reads up to and including <paramref name="end"/> (at most 16 KiB), one byte at a time.</summary>
    private static async Task<string> ReadUntilAsync(Stream stream, string end)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16 * 1024 && await stream.ReadAsync(one).ConfigureAwait(false) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= end.Length && Encoding.ASCII.GetString([.. bytes[^end.Length..]]) == end)
            {
                return Encoding.ASCII.GetString([.. bytes[..^end.Length]]);
            }
        }
        return Encoding.ASCII.GetString([.. bytes]);
    }
}
