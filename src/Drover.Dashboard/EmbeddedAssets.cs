using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Drover.Dashboard;

/// <summary>
/// The page's three files, embedded in the assembly (see the project file) and served from memory. Three fixed
/// files need no file provider or static-file middleware: in the Native AOT binary every linked type costs every
/// `drover start` memory, dashboard or not, so the dashboard links as little as it can.
/// </summary>
internal static class EmbeddedAssets
{
    private static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/index.html", "index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
    ];

    public static void Map(WebApplication app)
    {
        foreach (var (route, resource, contentType) in Files)
        {
            byte[] content = Read(resource);
            app.MapGet(route, ctx =>
            {
                ctx.Response.ContentType = contentType;
                ctx.Response.ContentLength = content.Length;
                return HttpMethods.IsHead(ctx.Request.Method) ? Task.CompletedTask : ctx.Response.Body.WriteAsync(content).AsTask();
            });
        }
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(EmbeddedAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the dashboard's {name} is not embedded in {typeof(EmbeddedAssets).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
