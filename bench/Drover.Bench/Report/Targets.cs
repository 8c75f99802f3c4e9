using Drover.Bench.Measures;

namespace Drover.Bench.Report;

/// <summary>One target of issue 5 and how Drover (AOT) did against it.</summary>
internal sealed record TargetResult(string Short, string Target, string Measured, bool Met, string Brief);

/// <summary>The issue's targets, evaluated on Drover's medians; used by the report's table and the chart's panel.</summary>
internal static class Targets
{
    public static List<TargetResult> Evaluate(ReportData d)
    {
        var r = d.Results;
        var list = new List<TargetResult>();
        if (d.Tools.All(t => t.Id != "drover"))
        {
            return list;
        }
        void Add(string shortName, string what, string measure, Func<double, string> fmt, Func<double, bool> ok, string? leftMeasure = null)
        {
            var s = r.Find(measure, "drover");
            var left = leftMeasure is null ? null : r.Find(leftMeasure, "drover");
            if (s is null)
            {
                return;
            }
            string measured = MarkdownReport.CellWithLeft(s, left, fmt);
            bool met = s is { Complete: true, Median: { } m } && ok(m) && (left?.Median ?? 0) == 0;
            string brief = s.Median is { } median ? fmt(median) + (left?.Median is { } l && l > 0 ? $", {l:0} left" : "") : s.CommonNote ?? "–";
            list.Add(new TargetResult(shortName, what, measured, met, brief));
        }
        Add("check < 20 ms", "`drover check` on a small Procfile under 20 ms (item 2)", "check", Format.Seconds, m => m < 0.02);
        Add("100 running ≤ 0.12 s", "100 processes running within 0.12 s of launch", "start100", Format.Seconds, m => m <= 0.12);
        Add("all gone ≤ 0.05 s after SIGTERM", "after SIGTERM, Drover and all 100 gone within 0.05 s", "stop100", Format.Seconds, m => m <= 0.05, "stop100-left");
        Add("RSS ≤ 20 MiB", "Drover's RSS with 100 children at most 20 MiB", "rss", Format.MiB, m => m <= 20);
        var rate = r.Find("lines-per-s", "drover");
        var intact = r.FindWhere("lines-intact", "drover", "lines-per-s");
        if (rate is not null)
        {
            bool allIntact = intact is { Complete: true } && intact.Values.All(v => v >= Throughput.TotalLines);
            list.Add(new TargetResult("≥ 3M lines/s, all intact",
                "at least 3,000,000 lines/s end to end, every line intact and in order",
                $"{MarkdownReport.CellWithLeft(rate, null, Format.Rate)}; intact: {MarkdownReport.IntactCell(r, "drover")}",
                rate is { Complete: true, Median: >= 3e6 } && allIntact,
                (rate.Median is { } lps ? Format.Rate(lps) + " lines/s" : "–") + (allIntact ? ", all intact" : ", lines damaged")));
        }
        Add("restart ≤ 20 ms", "a crashed process restarted within 20 ms of its exit (first time)", "restart-first", Format.Ms, m => m <= 20);
        var gone = r.Find("kill9-core-gone", "drover");
        if (gone is not null)
        {
            list.Add(new TargetResult("nothing left 1 s after kill -9",
                "after `kill -9` of Drover, every process of the formation (grandchildren included) gone within 1 s",
                MarkdownReport.KillNineCell(r, "drover"),
                gone is { Complete: true } && gone.Values.All(v => v <= 1),
                r.Find("kill9-left", "drover")?.Median is { } k && k > 0 ? $"{k:0} left after 2 s"
                    : gone?.Median is { } g ? $"none left; formation gone in {Format.Seconds(g)}" : "–"));
        }
        return list;
    }
}
