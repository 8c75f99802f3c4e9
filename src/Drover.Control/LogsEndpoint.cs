using System.Text;
using Drover.Core.Control;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Microsoft.AspNetCore.Http;

namespace Drover.Control;

/// <summary>
/// GET /v1/logs?target=web&amp;lines=200&amp;follow=true: recent lines as text/plain, prefixed like Drover's own
/// output (the same <see cref="PrefixFormatter.Plain"/> rule, without colors), then (with follow) live lines until the client disconnects. A client that falls behind is cut off.
/// </summary>
internal static class LogsEndpoint
{
    public static async Task Serve(HttpContext ctx, LogBook log, FormationController controller)
    {
        string? target = ctx.Request.Query["target"];
        int lines = 100;
        if (ctx.Request.Query.TryGetValue("lines", out var linesText))
        {
            if (!int.TryParse(linesText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out lines))
            {
                throw new ControlException($"lines must be a whole number, 0 or more, not '{linesText}'");
            }
        }
        bool follow = ctx.Request.Query["follow"] is var f && (f == "true" || f == "1");
        var snapshot = await controller.PsAsync();
        Func<string, bool> filter = Filter(target, snapshot);
        int width = NameWidth.Of(snapshot.Select(s => s.Name));

        ctx.Response.ContentType = "text/plain; charset=utf-8";
        var (recent, live) = log.Read(filter, lines, follow);
        try
        {
            foreach (var chunk in recent)
            {
                await Write(ctx, chunk, width);
            }
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            if (live is null)
            {
                return;
            }
            try
            {
                await foreach (var chunk in live.ReadAllAsync(ctx.RequestAborted))
                {
                    await Write(ctx, chunk, width);
                    if (!live.TryPeek(out _))
                    {
                        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                    }
                }
            }
            catch (LogFollowerTooSlowException e)
            {
                await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"drover: {e.Message}\n"));
            }
        }
        finally
        {
            if (live is not null)
            {
                log.Unfollow(live);
            }
        }
    }

    private static Func<string, bool> Filter(string? target, IReadOnlyList<InstanceSnapshot> snapshot)
    {
        if (string.IsNullOrEmpty(target))
        {
            return _ => true;
        }
        if (snapshot.Any(s => s.Name == target))
        {
            return name => name == target;
        }
        if (snapshot.Any(s => s.Type == target))
        {
            string prefix = target + ".";
            return name => name.StartsWith(prefix, StringComparison.Ordinal);
        }
        throw new ControlException($"no process type or instance '{target}'", ControlError.NotFound);
    }

    private static async Task Write(HttpContext ctx, LogChunk chunk, int width)
    {
        byte[] prefix = Encoding.UTF8.GetBytes(PrefixFormatter.Plain(chunk.Time.ToLocalTime(), chunk.Source.Name, width));
        using var buffer = new MemoryStream(chunk.Data.Length + (chunk.Lines * prefix.Length));
        foreach (var line in chunk.EachLine())
        {
            buffer.Write(prefix);
            buffer.Write(line.Span);
            buffer.WriteByte((byte)'\n');
        }
        await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ctx.RequestAborted);
    }
}
