using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Drover.Control;

/// <summary>HTTP over the app's control socket, for the CLI's ps/scale/restart/stop/logs/reload commands.</summary>
public sealed class ControlClient : IDisposable
{
    private readonly HttpClient _http;

    private ControlClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // Rolling restarts wait for each new process to come up: no client-side timeout.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://drover/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>A client for the Drover answering on <paramref name="socketPath"/>, or null when none does.</summary>
    public static ControlClient? Connect(string socketPath) =>
        File.Exists(socketPath) && SocketGuard.IsAnswering(socketPath) ? new ControlClient(socketPath) : null;

    /// <summary>Sends a request; returns the status and body text.</summary>
    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
    }

    /// <summary>Copies a streaming response (logs) to <paramref name="output"/> as it arrives.</summary>
    public async Task<int> StreamAsync(string path, Stream output, CancellationToken cancel)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await body.CopyToAsync(output, cancel).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
            await output.FlushAsync(cancel).ConfigureAwait(false);
        }
        return 200;
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _http.Dispose();
}
