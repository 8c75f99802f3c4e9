using System.Text;
using System.Text.Json;
using Drover.Core.Control.Wire;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Drover.Control;

/// <summary>The control API's routes; docs/control-api.md describes each request and response.</summary>
internal static class ControlEndpoints
{
    public static void Map(WebApplication app, ControlServerOptions o)
    {
        var ps = new PsView(o.Stats);
        var controller = o.Controller;
        app.MapGet("/v1/status", ctx => Guard(ctx, () => ctx.Response.WriteAsJsonAsync(o.Status, WireJson.Default.StatusResponse)));
        app.MapGet("/v1/ps", ctx => Guard(ctx, async () => await Formation(ctx, ps, await controller.PsAsync())));
        app.MapPost("/v1/scale", ctx => Guard(ctx, async () =>
        {
            var request = await Read(ctx, WireJson.Default.ScaleRequest);
            if (request.Counts is null || request.Counts.Count == 0)
            {
                throw new ControlException("scale needs at least one count, e.g. {\"counts\":{\"web\":2}}");
            }
            await Formation(ctx, ps, await controller.ScaleAsync(request.Counts));
        }));
        app.MapPost("/v1/restart", ctx => Guard(ctx, async () =>
            await Formation(ctx, ps, await controller.RestartAsync((await ReadTarget(ctx)).Target))));
        app.MapPost("/v1/stop", ctx => Guard(ctx, async () =>
            await Formation(ctx, ps, await controller.StopAsync((await ReadTarget(ctx)).Target))));
        app.MapPost("/v1/start", ctx => Guard(ctx, async () =>
            await Formation(ctx, ps, await controller.StartAsync((await ReadTarget(ctx)).Target))));
        app.MapPost("/v1/reload", ctx => Guard(ctx, async () => await Formation(ctx, ps, await controller.ReloadAsync())));
        app.MapPost("/v1/dashboard", ctx => Guard(ctx, async () =>
        {
            var start = o.StartDashboard ?? throw new ControlException("this Drover cannot serve a dashboard", ControlError.Conflict);
            await ctx.Response.WriteAsJsonAsync(new DashboardResponse(await start()), WireJson.Default.DashboardResponse);
        }));
        app.MapGet("/v1/events", ctx => Guard(ctx, () => EventsEndpoint.Serve(ctx, controller, o.Stats)));
        app.MapGet("/v1/logs", ctx => Guard(ctx, () => LogsEndpoint.Serve(ctx, o.Log, controller)));
        app.MapPost("/v1/logs/rotate", ctx => Guard(ctx, async () =>
        {
            var rotate = o.RotateLogs ?? throw new ControlException("this Drover writes no log files (start it with --log-dir)", ControlError.Conflict);
            IReadOnlyList<string> rotated;
            try
            {
                rotated = await rotate();
            }
            catch (IOException e)
            {
                throw new ControlException(e.Message, ControlError.Conflict);
            }
            await ctx.Response.WriteAsJsonAsync(new RotateResponse(o.Status.LogDir ?? "", rotated), WireJson.Default.RotateResponse);
        }));
        app.MapGet("/v1/attach", ctx => Guard(ctx, () => AttachEndpoint.Serve(ctx, o.Terminals, controller)));
    }

    private static async Task Formation(HttpContext ctx, PsView view, IReadOnlyList<InstanceSnapshot> snapshot) =>
        await ctx.Response.WriteAsJsonAsync(new FormationResponse(view.Rows(snapshot)), WireJson.Default.FormationResponse);

    private static async Task<TargetRequest> ReadTarget(HttpContext ctx) =>
        ctx.Request.ContentLength is 0 or null && !ctx.Request.Headers.ContainsKey("Transfer-Encoding")
            ? new TargetRequest(null)
            : await Read(ctx, WireJson.Default.TargetRequest);

    private static async Task<T> Read<T>(HttpContext ctx, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(ctx.Request.Body, type, ctx.RequestAborted)
                ?? throw new ControlException("the request body is empty; expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new ControlException($"the request body is not valid JSON for this request: {e.Message}");
        }
        catch (BadHttpRequestException e)
        {
            // A malformed body (e.g. bad chunked encoding) is the client's error, not the server's.
            throw new ControlException($"the request body could not be read: {e.Message}");
        }
    }

    /// <summary>Turns refusals into JSON errors with a fitting status; anything else is a 500 that never takes the formation down.</summary>
    private static async Task Guard(HttpContext ctx, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (ControlException e)
        {
            await Error(ctx, e.Kind switch
            {
                ControlError.NotFound => StatusCodes.Status404NotFound,
                ControlError.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            }, e.Message);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e)
        {
            await Error(ctx, StatusCodes.Status500InternalServerError, e.Message);
        }
    }

    private static async Task Error(HttpContext ctx, int status, string message)
    {
        if (ctx.Response.HasStarted)
        {
            await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"drover: {message}\n"));
            return;
        }
        ctx.Response.StatusCode = status;
        await ctx.Response.WriteAsJsonAsync(new ErrorResponse(message), WireJson.Default.ErrorResponse);
    }
}
