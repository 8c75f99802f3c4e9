using System.Text;
using System.Text.RegularExpressions;
using Drover.Core.Logs;
using Microsoft.AspNetCore.Http;

namespace Drover.Dashboard;

/// <summary>
/// GET /api/logs/search?q=REGEX&amp;since=&amp;until=&amp;target=: the last <see cref="Limit"/> matching lines of the log
/// files (--log-dir), rotated and gzipped ones included, searched on the server; each with the character ranges
/// that matched, for the page to highlight.
/// </summary>
internal static class SearchEndpoint
{
    /// <summary>Most hits one search answers with (the newest).</summary>
    public const int Limit = 500;

    public static async Task Serve(HttpContext ctx, LogLayout layout)
    {
        if (layout.IsEmpty)
        {
            await Answer(ctx, StatusCodes.Status409Conflict, new SearchResult([], "this Drover writes no log files (start it with --log-dir, or give types a log_location)"));
            return;
        }
        var q = ctx.Request.Query;
        var now = DateTimeOffset.Now;
        string? error = null;
        DateTimeOffset? Time(string key)
        {
            string? text = q[key];
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            var t = LogTime.Parse(text, now, TimeZoneInfo.Local, out string? problem);
            error ??= problem is null ? null : $"{key}: {problem}";
            return t;
        }
        var since = Time("since");
        var until = Time("until");
        Regex? pattern = null;
        if (q["q"].ToString() is { Length: > 0 } text)
        {
            try
            {
                pattern = LogQuery.Pattern(text);
            }
            catch (ArgumentException e)
            {
                error ??= $"'{text}' is not a regular expression: {e.Message}";
            }
        }
        if (error is not null)
        {
            await Answer(ctx, StatusCodes.Status400BadRequest, new SearchResult([], error));
            return;
        }
        string? target = string.IsNullOrWhiteSpace(q["target"]) ? null : q["target"].ToString();
        var hits = new List<SearchHit>();
        try
        {
            // Reading files is blocking work: off the request thread.
            await Task.Run(() => LogSearch.Run(layout, new LogQuery(target, since, until, pattern, Limit), m => hits.Add(Hit(m, pattern))), ctx.RequestAborted);
        }
        catch (RegexMatchTimeoutException)
        {
            await Answer(ctx, StatusCodes.Status400BadRequest, new SearchResult([], "the pattern took too long on a line; make it simpler"));
            return;
        }
        await Answer(ctx, StatusCodes.Status200OK, new SearchResult(hits, null));
    }

    private static SearchHit Hit(LogSearch.Match m, Regex? pattern)
    {
        // Every match parsed already (only lines in the format match).
        _ = LogLineFormat.TryParse(m.Line, out long ticks, out var name, out var bytes);
        string text = Encoding.UTF8.GetString(bytes);
        var ranges = new List<int[]>();
        if (pattern is not null)
        {
            foreach (var match in pattern.EnumerateMatches(text))
            {
                if (match.Length > 0)
                {
                    ranges.Add([match.Index, match.Length]);
                }
            }
        }
        long ms = (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        return new SearchHit(ms, Encoding.UTF8.GetString(name), text, ranges);
    }

    private static Task Answer(HttpContext ctx, int status, SearchResult result)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(result, DashboardJson.Default.SearchResult);
    }
}
