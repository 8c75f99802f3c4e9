using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Drover.Control;

/// <summary>HTTP over the app's control socket, for the CLI's ps/scale/restart/stop/logs/reload commands.</summary>
public sealed class ControlClient : IDisposable
{
    private readonly HttpClient _http;

    private ControlClient(string socketPath, uint ownUid)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel).ConfigureAwait(false);
                    // Whoever answers must be this user or root: a socket put there by someone else is not trusted.
                    uint? peer = PeerCredentials.Uid(socket);
                    if (peer != ownUid && peer != 0)
                    {
                        throw new UntrustedSocketException(socketPath, peer);
                    }
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

    /// <summary>
    /// A client for the Drover answering on <paramref name="socketPath"/>, or null when none does. Throws
    /// <see cref="UntrustedSocketException"/> when the answer comes from a user other than <paramref name="ownUid"/> or root.
    /// </summary>
    public static ControlClient? Connect(string socketPath, uint ownUid)
    {
        if (!File.Exists(socketPath) || !SocketGuard.AnswererUid(socketPath, out uint? peer))
        {
            return null;
        }
        return peer == ownUid || peer == 0 ? new ControlClient(socketPath, ownUid) : throw new UntrustedSocketException(socketPath, peer);
    }

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

    /// <summary>
    /// Opens a streaming response (events, logs) for the caller to read and dispose; a refused request gives its
    /// status and error body instead.
    /// </summary>
    public async Task<(int Status, Stream? Body, string Error)> OpenAsync(string path, CancellationToken cancel)
    {
        var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                return ((int)response.StatusCode, null, await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false));
            }
        }
        return ((int)response.StatusCode, await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false), "");
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _http.Dispose();
}

/// <summary>The control socket is answered by another user: not a Drover of ours, whatever it says.</summary>
public sealed class UntrustedSocketException(string socketPath, uint? uid)
    : Exception($"the control socket {socketPath} is answered by {(uid is null ? "an unknown user" : $"uid {uid}")}, not by you or root: not trusting it "
        + $"(remove {Path.GetDirectoryName(socketPath)} if it is not yours)");
