using System.Net;
using System.Net.Http;

namespace Drover.Core.Probes;

/// <summary>
/// Passes when an HTTP GET of <paramref name="uri"/> answers <paramref name="expectedStatus"/>, or any 2xx/3xx when
/// none is given (<c>http_get</c>, as in process-compose and Kubernetes). Redirects are not followed.
/// </summary>
public sealed class HttpProbeCheck(Uri uri, int? expectedStatus) : IProbeCheck
{
    // One client for every probe: connections are kept alive between checks (a probe every second on 100
    // instances must stay cheap), no proxy from the environment stands between Drover and its own processes.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        ConnectTimeout = Timeout.InfiniteTimeSpan,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The URL checked.</summary>
    public Uri Uri => uri;

    /// <inheritdoc />
    public async Task<ProbeResult> CheckAsync(CancellationToken cancel)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            bool passed = expectedStatus is int expected ? status == expected : status is >= 200 and < 400;
            return new ProbeResult(passed, $"GET {uri} answered {status}{(passed ? "" : expectedStatus is int e ? $" (expected {e})" : " (expected 2xx or 3xx)")}");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Fail($"GET {uri}: {(e.InnerException ?? e).Message}");
        }
    }

    /// <summary>The URL of an <c>http_get</c> probe aimed at an instance on <paramref name="port"/>.</summary>
    public static Uri UriFor(string scheme, string host, int port, string path)
    {
        string p = path.StartsWith('/') ? path : "/" + path;
        string h = IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        return new Uri($"{scheme}://{h}:{port}{p}");
    }
}
