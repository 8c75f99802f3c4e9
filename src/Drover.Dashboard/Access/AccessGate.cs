using Microsoft.AspNetCore.Http;

namespace Drover.Dashboard.Access;

/// <summary>
/// Every request needs the access token, in one of three ways:
/// <list type="bullet">
/// <item><c>?token=</c> on <c>/</c>: starts a browser session (an HttpOnly, SameSite=Strict cookie) and redirects to
/// the bare URL, so the token leaves the address bar; on any other GET it admits that one request (for scrapers).</item>
/// <item>the session cookie: GETs pass; anything else also needs the session's CSRF token in <c>X-Drover-CSRF</c>
/// and, when the browser sends one, an <c>Origin</c> equal to the dashboard's own.</item>
/// <item><c>Authorization: Bearer TOKEN</c> (scripts, Prometheus): browsers never add it by themselves, so no CSRF check.</item>
/// </list>
/// Everything else is refused with 401 (no or wrong token) or 403 (a state change without CSRF proof).
/// </summary>
internal sealed class AccessGate(AccessToken token, Sessions sessions)
{
    /// <summary>The header that carries a session's CSRF token.</summary>
    public const string CsrfHeader = "X-Drover-CSRF";

    /// <summary>The session of the request, set once the gate let it through with a cookie.</summary>
    public static Session? SessionOf(HttpContext ctx) => ctx.Items[typeof(Session)] as Session;

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        AddSecurityHeaders(ctx.Response.Headers);
        var request = ctx.Request;
        bool safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

        string? authorization = request.Headers.Authorization;
        if (authorization is not null)
        {
            const string bearer = "Bearer ";
            bool ok = authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && token.Matches(authorization[bearer.Length..].Trim());
            await (ok ? next(ctx) : Refuse(ctx, StatusCodes.Status401Unauthorized, "wrong bearer token"));
            return;
        }

        if (sessions.Find(request.Cookies[CookieName(ctx)]) is { } session)
        {
            if (!safe && !(session.Csrf.Matches(request.Headers[CsrfHeader]) && SameOrigin(request)))
            {
                await Refuse(ctx, StatusCodes.Status403Forbidden, $"a state-changing request needs the page's {CsrfHeader} header");
                return;
            }
            ctx.Items[typeof(Session)] = session;
            await next(ctx);
            return;
        }

        string? query = request.Query["token"];
        if (query is not null && token.Matches(query) && safe)
        {
            if (request.Path == "/")
            {
                StartSession(ctx);
                return;
            }
            await next(ctx);
            return;
        }
        await Refuse(ctx, StatusCodes.Status401Unauthorized,
            query is null ? "this dashboard needs its access token: open the URL that `drover start --dashboard` or `drover dashboard` printed" : "wrong token, or a token in the URL of a state-changing request");
    }

    private void StartSession(HttpContext ctx)
    {
        var session = sessions.Create();
        ctx.Response.Cookies.Append(CookieName(ctx), session.Id.Value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Secure = ctx.Request.IsHttps,
        });
        ctx.Response.StatusCode = StatusCodes.Status303SeeOther;
        ctx.Response.Headers.Location = "/";
    }

    // Cookies ignore ports: two dashboards on one host (two formations) must not overwrite each other's session.
    private static string CookieName(HttpContext ctx) => $"drover_session_{ctx.Connection.LocalPort}";

    private static bool SameOrigin(HttpRequest request)
    {
        string? origin = request.Headers.Origin;
        return origin is null || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static Task Refuse(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.WriteAsync($"drover dashboard: {message}\n");
    }

    private static void AddSecurityHeaders(IHeaderDictionary headers)
    {
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    }
}
