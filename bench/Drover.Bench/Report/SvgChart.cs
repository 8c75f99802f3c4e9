using System.Globalization;
using System.Security;
using System.Text;
using Drover.Bench.Measures;

namespace Drover.Bench.Report;

/// <summary>
/// The chart: one panel per measure, one horizontal bar per tool (the median, with a min–max whisker and the value
/// written out), Drover in orange, the issue's target as a red dashed line. Latencies use a log scale, since the
/// tools differ by orders of magnitude; memory, throughput and survivors a linear one.
/// </summary>
internal static class SvgChart
{
    private const int Width = 1180;
    private const int PanelWidth = 575;
    private const int RowHeight = 22;
    private const int LabelWidth = 112;
    private const int ValueRoom = 150;

    private sealed record Panel(
        string Title,
        string Measure,
        Func<double, double> Scale,
        Func<double, string> Format,
        bool Log,
        double? Target,
        string? LeftMeasure = null,
        Func<ReportData, string, (string Text, bool Bad)?>? Extra = null,
        Func<double, string>? Tick = null,
        double Floor = 0.001);

    public static string Render(ReportData d)
    {
        var panels = new List<Panel>
        {
            new("Start: 100 processes running after launch (s, log scale; lower is better)", "start100", v => v, Report.Format.Seconds, true, 0.12, Tick: LogSeconds),
            new("Stop: all 100 gone after SIGTERM (s, log scale)", "stop100", v => v, Report.Format.Seconds, true, 0.05, "stop100-left", Tick: LogSeconds),
            new("Manager RSS with 100 children (MiB)", "rss", v => v, Report.Format.MiB, false, 20),
            new("Log throughput, 4 × 500,000 lines (million lines/s; higher is better)", "lines-per-s", v => v / 1e6, v => $"{v:0.00}M", false, 3, Extra: IntactNote),
            new("Crash: first restart after exit (ms, log scale)", "restart-first", v => v, Report.Format.Ms, true, 20, Tick: v => $"{v:0.###} ms", Floor: 1),
            new("Stubborn children: all gone after SIGTERM (s, log scale)", "stubborn", v => v, Report.Format.Seconds, true, null, "stubborn-left", Tick: LogSeconds),
            new($"Survivors 2 s after kill -9 of the manager (workload: {KillNine.Workers} processes)", "kill9-left", v => v, v => $"{v:0}", false, 0),
        };
        var tools = d.Tools;
        int panelHeight = 52 + tools.Count * RowHeight + 26;
        int top = 96;
        int rows = (panels.Count + 1) / 2;
        int height = top + rows * (panelHeight + 14) + 10;

        var svg = new StringBuilder();
        svg.AppendLine(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">"));
        svg.AppendLine(Inv($"<rect width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>"));
        svg.AppendLine(Inv($"<text x=\"20\" y=\"30\" font-size=\"19\" font-weight=\"bold\" fill=\"#212529\">Drover against its peers: medians, whiskers min–max</text>"));
        svg.AppendLine(Inv($"<text x=\"20\" y=\"52\" font-size=\"12.5\" fill=\"#495057\">{Esc($"{d.Began:yyyy-MM-dd}, {d.Machine.Cpu}, {d.Machine.Cores} cores, kernel {d.Machine.Kernel}; {d.Options.Reps} repetitions (start/stop/RSS), {d.Options.HeavyReps} (others)")}</text>"));
        Legend(svg, 20, 80);

        for (int i = 0; i < panels.Count; i++)
        {
            int x = 15 + (i % 2) * (PanelWidth + 10);
            int y = top + (i / 2) * (panelHeight + 14);
            DrawPanel(svg, d, panels[i], x, y, panelHeight);
        }
        if (panels.Count % 2 == 1)
        {
            int x = 15 + PanelWidth + 10;
            int y = top + (panels.Count / 2) * (panelHeight + 14);
            DrawTargets(svg, d, x, y, panelHeight);
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string LogSeconds(double v) => v >= 1 ? $"{v:0} s" : $"{v:0.###} s";

    private static void DrawTargets(StringBuilder svg, ReportData d, int x, int y, int h)
    {
        var targets = Targets.Evaluate(d);
        svg.AppendLine(Inv($"<rect x=\"{x}\" y=\"{y}\" width=\"{PanelWidth}\" height=\"{h}\" fill=\"#f8f9fa\" stroke=\"#dee2e6\"/>"));
        svg.AppendLine(Inv($"<text x=\"{x + 10}\" y=\"{y + 20}\" font-size=\"13\" font-weight=\"bold\" fill=\"#212529\">Drover (AOT) against the targets of issue 5: {targets.Count(t => t.Met)} of {targets.Count} met</text>"));
        int row = y + 44;
        int step = Math.Min(20, (h - 50) / Math.Max(1, targets.Count));
        foreach (var t in targets)
        {
            string mark = t.Met ? "✔" : "✘";
            string color = t.Met ? "#2b8a3e" : "#c92a2a";
            svg.AppendLine(Inv($"<text x=\"{x + 14}\" y=\"{row}\" font-size=\"13\" fill=\"{color}\" font-weight=\"bold\">{mark}</text>"));
            svg.AppendLine(Inv($"<text x=\"{x + 34}\" y=\"{row}\" font-size=\"12\" fill=\"#212529\">{Esc(t.Short)}</text>"));
            svg.AppendLine(Inv($"<text x=\"{x + 250}\" y=\"{row}\" font-size=\"12\" fill=\"{color}\">{Esc(Shorten(t.Brief, 48))}</text>"));
            row += step;
        }
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static (string, bool)? IntactNote(ReportData d, string tool)
    {
        var intact = d.Results.FindWhere("lines-intact", tool, "lines-per-s")?.Median;
        if (intact is null)
        {
            return null;
        }
        double damaged = Throughput.TotalLines - intact.Value;
        return damaged <= 0 ? ("all intact", false) : ($"{(damaged >= 1000 ? $"{damaged / 1000:0.#}k" : $"{damaged:0}")} damaged", true);
    }

    private static void Legend(StringBuilder svg, int x, int y)
    {
        var items = new[] { (Color("drover"), "Drover (AOT)"), (Color("drover-jit"), "Drover (JIT)"), (Color("peer"), "peers"), (Color("none"), "no manager") };
        int cx = x;
        foreach (var (color, label) in items)
        {
            svg.AppendLine(Inv($"<rect x=\"{cx}\" y=\"{y - 10}\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{cx + 17}\" y=\"{y}\" font-size=\"12\" fill=\"#343a40\">{label}</text>"));
            cx += label.Length * 7 + 36;
        }
        svg.AppendLine(Inv($"<line x1=\"{cx}\" y1=\"{y - 4}\" x2=\"{cx + 18}\" y2=\"{y - 4}\" stroke=\"#e03131\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/><text x=\"{cx + 23}\" y=\"{y}\" font-size=\"12\" fill=\"#343a40\">target of issue 5</text>"));
        cx += 150;
        svg.AppendLine(Inv($"<text x=\"{cx}\" y=\"{y}\" font-size=\"12\" fill=\"#c92a2a\" font-weight=\"bold\">N left</text><text x=\"{cx + 45}\" y=\"{y}\" font-size=\"12\" fill=\"#343a40\">= processes still running after the manager exited</text>"));
    }

    private static void DrawPanel(StringBuilder svg, ReportData d, Panel p, int x, int y, int h)
    {
        svg.AppendLine(Inv($"<rect x=\"{x}\" y=\"{y}\" width=\"{PanelWidth}\" height=\"{h}\" fill=\"#f8f9fa\" stroke=\"#dee2e6\"/>"));
        svg.AppendLine(Inv($"<text x=\"{x + 10}\" y=\"{y + 20}\" font-size=\"13\" font-weight=\"bold\" fill=\"#212529\">{Esc(p.Title)}</text>"));

        var series = d.Tools.Select(t => (Tool: t, S: d.Results.Find(p.Measure, t.Id))).ToList();
        var values = series.Where(s => s.S is not null).SelectMany(s => s.S!.Values).Select(p.Scale).ToList();
        if (p.Target is { } target)
        {
            values.Add(target);
        }
        int x0 = x + LabelWidth + 8;
        int plotWidth = PanelWidth - LabelWidth - 8 - ValueRoom;
        int plotTop = y + 36;
        int plotBottom = plotTop + d.Tools.Count * RowHeight;
        Func<double, double> pos;
        var ticks = new List<(double Value, string Label)>();
        if (p.Log)
        {
            // Values below the floor (e.g. a manager that exits at once, leaving its children) sit at the axis.
            var positive = values.Where(v => v > 0).Select(v => Math.Max(v, p.Floor)).DefaultIfEmpty(1).ToList();
            double lo = Math.Pow(10, Math.Floor(Math.Log10(positive.Min())));
            double hi = Math.Pow(10, Math.Ceiling(Math.Log10(positive.Max() * 1.0001)));
            if (hi <= lo)
            {
                hi = lo * 10;
            }
            pos = v => x0 + plotWidth * (Math.Log10(Math.Max(v, lo)) - Math.Log10(lo)) / (Math.Log10(hi) - Math.Log10(lo));
            for (double t = lo; t <= hi * 1.0001; t *= 10)
            {
                ticks.Add((t, (p.Tick ?? p.Format)(t)));
            }
        }
        else
        {
            double max = Math.Max(values.DefaultIfEmpty(1).Max(), 1e-9);
            double step = NiceStep(max / 4);
            double hi = Math.Ceiling(max / step) * step;
            pos = v => x0 + plotWidth * v / hi;
            for (double t = 0; t <= hi * 1.0001; t += step)
            {
                ticks.Add((t, TickLabel(t, step)));
            }
        }
        foreach (var (value, label) in ticks)
        {
            double tx = pos(value);
            svg.AppendLine(Inv($"<line x1=\"{tx:0.0}\" y1=\"{plotTop - 4}\" x2=\"{tx:0.0}\" y2=\"{plotBottom}\" stroke=\"#dee2e6\"/>"));
            svg.AppendLine(Inv($"<text x=\"{tx:0.0}\" y=\"{plotBottom + 14}\" font-size=\"10.5\" fill=\"#6c757d\" text-anchor=\"middle\">{Esc(label)}</text>"));
        }

        for (int i = 0; i < series.Count; i++)
        {
            var (tool, s) = series[i];
            int ry = plotTop + i * RowHeight;
            bool drover = tool.IsDrover;
            svg.AppendLine(Inv($"<text x=\"{x0 - 8}\" y=\"{ry + 15}\" font-size=\"12\" text-anchor=\"end\" fill=\"#212529\"{(drover ? " font-weight=\"bold\"" : "")}>{Esc(tool.Display)}</text>"));
            string colorKey = tool.Id switch { "drover" => "drover", "drover-jit" => "drover-jit", "none" => "none", _ => "peer" };
            if (s?.Median is not { } median)
            {
                string why = s?.CommonNote ?? (s is null ? "not measured" : "–");
                svg.AppendLine(Inv($"<text x=\"{x0 + 4}\" y=\"{ry + 15}\" font-size=\"11.5\" font-style=\"italic\" fill=\"#868e96\">{Esc(why)}</text>"));
                continue;
            }
            double v = p.Scale(median);
            double end = Math.Max(pos(v), x0 + 1.5);
            svg.AppendLine(Inv($"<rect x=\"{x0}\" y=\"{ry + 4}\" width=\"{end - x0:0.0}\" height=\"14\" fill=\"{Color(colorKey)}\"/>"));
            double right = end;
            if (s.Values.Count > 1)
            {
                double a = pos(p.Scale(s.Min!.Value));
                double b = pos(p.Scale(s.Max!.Value));
                svg.AppendLine(Inv($"<path d=\"M{a:0.0} {ry + 11} H{b:0.0} M{a:0.0} {ry + 7} V{ry + 15} M{b:0.0} {ry + 7} V{ry + 15}\" stroke=\"#343a40\" stroke-width=\"1.2\" fill=\"none\"/>"));
                right = Math.Max(right, b);
            }
            var label = new StringBuilder(Esc(p.Format(v)));
            if (p.LeftMeasure is not null && d.Results.Find(p.LeftMeasure, tool.Id)?.Median is { } left && left > 0)
            {
                label.Append(Inv($"<tspan fill=\"#c92a2a\" font-weight=\"bold\"> · {left:0} left</tspan>"));
            }
            int failed = s.Samples.Count(x => x.Value is null);
            if (failed > 0)
            {
                label.Append(Inv($"<tspan fill=\"#c92a2a\"> · {failed}× {Esc(s.Samples.First(x => x.Value is null).Note ?? "failed")}</tspan>"));
            }
            if (p.Extra?.Invoke(d, tool.Id) is var (text, bad))
            {
                label.Append(Inv($"<tspan fill=\"{(bad ? "#c92a2a" : "#2b8a3e")}\"{(bad ? " font-weight=\"bold\"" : "")}> · {Esc(text)}</tspan>"));
            }
            svg.AppendLine(Inv($"<text x=\"{right + 5:0.0}\" y=\"{ry + 15}\" font-size=\"11.5\" fill=\"#212529\"{(drover ? " font-weight=\"bold\"" : "")}>{label}</text>"));
        }

        if (p.Target is { } tv)
        {
            double tx = pos(tv);
            svg.AppendLine(Inv($"<line x1=\"{tx:0.0}\" y1=\"{plotTop - 6}\" x2=\"{tx:0.0}\" y2=\"{plotBottom}\" stroke=\"#e03131\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"));
        }
    }

    private static double NiceStep(double raw)
    {
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
    }

    private static string TickLabel(double t, double step) =>
        t.ToString(step == Math.Floor(step) ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Color(string key) => key switch
    {
        "drover" => "#e8590c",
        "drover-jit" => "#ffa94d",
        "none" => "#ced4da",
        _ => "#748ffc",
    };

    private static string Esc(string text) => SecurityElement.Escape(text) ?? "";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
