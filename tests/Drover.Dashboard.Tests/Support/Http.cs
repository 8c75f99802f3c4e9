using System.Net.Http.Headers;
using System.Text;

namespace Drover.Dashboard.Tests.Support;

/// <summary>A plain HTTP client that neither follows redirects nor keeps cookies: the test sees exactly what the server says.</summary>
internal static class Http
{
    public static HttpClient Client(Uri baseAddress) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public static HttpRequestMessage Post(string path, string json, string? cookie = null, string? csrf = null, string? bearer = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        if (csrf is not null)
        {
            request.Headers.Add("X-Drover-CSRF", csrf);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return request;
    }
}
