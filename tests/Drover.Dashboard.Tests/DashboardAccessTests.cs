using System.Net;
using System.Text.Json;
using Drover.Cli.Tests.Support;
using Drover.Dashboard.Tests.Support;

namespace Drover.Dashboard.Tests;

/// <summary>Who may use the dashboard: the token, the session cookie, the CSRF header (plain HTTP, no browser).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DashboardAccessTests
{
    private const string ScaleWebTo2 = """{"counts":{"web":2}}""";

    private static async Task<RunningDashboard> StartAsync(TempApp app)
    {
        var dashboard = await RunningDashboard.StartAsync(app);
        await dashboard.Drover.WaitForStartAsync("web.1");
        return dashboard;
    }

    /// <summary>Opens the URL with the token as a browser would: the session cookie, then the CSRF token the page reads.</summary>
    private static async Task<(string Cookie, string Csrf)> SessionAsync(HttpClient http, RunningDashboard dashboard)
    {
        using var opened = await http.GetAsync(dashboard.Url.PathAndQuery);
        Assert.Equal(HttpStatusCode.SeeOther, opened.StatusCode);
        string cookie = opened.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/session");
        request.Headers.Add("Cookie", cookie);
        using var session = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        string csrf = JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement.GetProperty("csrf").GetString()!;
        return (cookie, csrf);
    }

    [Fact]
    public async Task Requests_without_the_token_are_refused()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var dashboard = await StartAsync(app);
        using var http = Http.Client(dashboard.Base);

        foreach (string path in new[] { "/", "/index.html", "/dashboard.js", "/api/session", "/api/events", "/metrics", "/?token=wrong", "/metrics?token=" + dashboard.Token[..^1] })
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path}: {response.StatusCode}");
        }
        using var wrongBearer = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrongBearer.Headers.Authorization = new("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrongBearer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Http.Post("/api/scale", ScaleWebTo2))).StatusCode);
        Assert.Single(await dashboard.PsAsync());
    }

    [Fact]
    public async Task Opening_the_url_with_the_token_gives_a_strict_http_only_cookie_and_drops_the_token_from_the_address()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var dashboard = await StartAsync(app);
        using var http = Http.Client(dashboard.Base);

        using var response = await http.GetAsync(dashboard.Url.PathAndQuery);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        string cookie = response.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.DoesNotContain(dashboard.Token.ToLowerInvariant(), cookie);
        var (session, _) = await SessionAsync(http, dashboard);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", session);
        using var html = await http.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("<title>Drover</title>", await html.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_state_change_with_the_cookie_but_without_the_csrf_header_is_refused_and_changes_nothing()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var dashboard = await StartAsync(app);
        using var http = Http.Client(dashboard.Base);
        var (cookie, csrf) = await SessionAsync(http, dashboard);

        using var none = await http.SendAsync(Http.Post("/api/scale", ScaleWebTo2, cookie));
        using var wrong = await http.SendAsync(Http.Post("/api/scale", ScaleWebTo2, cookie, csrf: csrf[..^2] + "xx"));
        using var foreign = await http.SendAsync(Http.Post("/api/scale", ScaleWebTo2, cookie, csrf, origin: "http://evil.invalid"));
        using var tokenInUrl = await http.SendAsync(Http.Post("/api/scale?token=" + dashboard.Token, ScaleWebTo2));

        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenInUrl.StatusCode);
        Assert.Single(await dashboard.PsAsync());

        using var proper = await http.SendAsync(Http.Post("/api/scale", ScaleWebTo2, cookie, csrf, origin: dashboard.Base.GetLeftPart(UriPartial.Authority)));
        Assert.True(proper.StatusCode == HttpStatusCode.OK, await proper.Content.ReadAsStringAsync());
        await dashboard.Drover.WaitForStartAsync("web.2");
        Assert.Equal(2, (await dashboard.PsAsync()).Length);
    }

    [Fact]
    public async Task A_bearer_token_works_for_scripts_and_refusals_say_why()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var dashboard = await StartAsync(app);
        using var http = Http.Client(dashboard.Base);

        using var scaled = await http.SendAsync(Http.Post("/api/scale", ScaleWebTo2, bearer: dashboard.Token));
        using var unknown = await http.SendAsync(Http.Post("/api/restart", """{"target":"nosuch"}""", bearer: dashboard.Token));
        using var garbage = await http.SendAsync(Http.Post("/api/stop", "{not json", bearer: dashboard.Token));

        Assert.Equal(HttpStatusCode.OK, scaled.StatusCode);
        Assert.Equal("scaled web to 2", JsonDocument.Parse(await scaled.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        await dashboard.Drover.WaitForStartAsync("web.2");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nosuch", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }
}
