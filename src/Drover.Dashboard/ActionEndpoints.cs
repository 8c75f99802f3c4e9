using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Drover.Core.Control;
using Drover.Core.Control.Wire;
using Drover.Core.Supervision;
using Drover.Dashboard.Feed;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Drover.Dashboard;

/// <summary>
/// The page's buttons: POST /api/scale, /api/restart, /api/stop, /api/start, with the control API's bodies
/// (<c>{"counts":{"web":3}}</c>, <c>{"target":"web.2"}</c>). They answer <c>{"message"}</c> or <c>{"error"}</c>;
/// the table itself follows through the event stream.
/// </summary>
internal static class ActionEndpoints
{
    public static void Map(WebApplication app, FormationController controller, FormationFeed feed)
    {
        app.MapPost("/api/scale", ctx => Run(ctx, feed, async () =>
        {
            var request = await Read(ctx, WireJson.Default.ScaleRequest);
            if (request.Counts is null || request.Counts.Count == 0)
            {
                throw new ControlException("scale needs at least one count, e.g. {\"counts\":{\"web\":2}}");
            }
            await controller.ScaleAsync(request.Counts);
            return "scaled " + string.Join(", ", request.Counts.Select(kv => $"{kv.Key} to {kv.Value}"));
        }));
        app.MapPost("/api/restart", ctx => Run(ctx, feed, async () =>
        {
            string? target = (await Read(ctx, WireJson.Default.TargetRequest)).Target;
            await controller.RestartAsync(target);
            return $"restarted {target ?? "everything"}";
        }));
        app.MapPost("/api/stop", ctx => Run(ctx, feed, async () =>
        {
            string? target = (await Read(ctx, WireJson.Default.TargetRequest)).Target;
            await controller.StopAsync(target);
            return $"stopped {target ?? "everything"}";
        }));
        app.MapPost("/api/start", ctx => Run(ctx, feed, async () =>
        {
            string? target = (await Read(ctx, WireJson.Default.TargetRequest)).Target;
            await controller.StartAsync(target);
            return $"started {target ?? "everything"}";
        }));
    }

    private static async Task Run(HttpContext ctx, FormationFeed feed, Func<Task<string>> action)
    {
        int status = StatusCodes.Status200OK;
        string? message = null;
        string? error = null;
        try
        {
            message = await action();
        }
        catch (ControlException e)
        {
            status = e.Kind switch
            {
                ControlError.NotFound => StatusCodes.Status404NotFound,
                ControlError.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            error = e.Message;
        }
        finally
        {
            feed.Poke();
        }
        ctx.Response.StatusCode = status;
        await (error is null
            ? ctx.Response.WriteAsJsonAsync(new ActionResult(message!), DashboardJson.Default.ActionResult)
            : ctx.Response.WriteAsJsonAsync(new ErrorResponse(error), WireJson.Default.ErrorResponse));
    }

    private static async Task<T> Read<T>(HttpContext ctx, JsonTypeInfo<T> type)
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
    }
}
