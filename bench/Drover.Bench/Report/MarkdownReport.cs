using System.Globalization;
using System.Text;
using Drover.Bench.Measures;

namespace Drover.Bench.Report;

/// <summary>Writes docs/benchmarks.md: the command, the machine, versions, the table, the targets, the method.</summary>
internal static class MarkdownReport
{
    public static string Render(ReportData d)
    {
        var r = d.Results;
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine($"Drover against its peers and against no manager at all, whole processes on one machine, every figure from {(d.Earlier is null ? "one run" : $"{d.Earlier.Count + 1} runs")} of");
        md.AppendLine();
        md.AppendLine("```sh");
        md.AppendLine(d.Options.Command);
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine($"which installs the peers if they are missing, publishes Drover as a Native AOT binary, runs the micro-benchmarks and then the harness in `bench/Drover.Bench`, and writes this page and its chart. This run: {d.Began:yyyy-MM-dd HH:mm}–{d.Ended:HH:mm}{(d.Earlier is { } e ? $"; the tools and measures it did not repeat (`--merge`) keep their figures from the earlier run{(e.Count > 1 ? "s" : "")} of {string.Join(" and ", e.Select(t => t.ToString("yyyy-MM-dd HH:mm")))}" : "")}. Medians, with min–max in parentheses, over {d.Options.Reps} repetitions (start, stop, RSS) or {d.Options.HeavyReps} (the rest).");
        md.AppendLine();
        md.AppendLine($"![Drover and its peers: start, stop, memory, log throughput, restart, stubborn children and kill -9]({Path.GetFileName(d.Options.Svg)})");
        md.AppendLine();

        md.AppendLine("## Results");
        md.AppendLine();
        md.Append("| measure |");
        foreach (var t in d.Tools)
        {
            md.Append($" {t.Display} |");
        }
        md.AppendLine();
        md.Append("|---|");
        md.AppendLine(string.Concat(d.Tools.Select(_ => "---|")));
        void Row(string label, Func<string, string> cell)
        {
            md.Append($"| {label} |");
            foreach (var t in d.Tools)
            {
                md.Append($" {cell(t.Id)} |");
            }
            md.AppendLine();
        }
        foreach (int n in new[] { 1, 10, 100 })
        {
            Row($"start: {n} `sleep` running after launch", id => Cell(r.Find($"start{n}", id), Format.Seconds));
        }
        foreach (int n in new[] { 1, 10, 100 })
        {
            Row($"stop: all gone after SIGTERM, N={n}", id => CellWithLeft(r.Find($"stop{n}", id), r.Find($"stop{n}-left", id), Format.Seconds));
        }
        Row("stop, N=100: manager and workload gone (untagged helpers such as Drover's watchdog aside)", id => Cell(r.Find("stop100-core", id), Format.Seconds));
        Row("`check` on a 3-line Procfile: start to exit", id => Cell(r.Find("check", id), Format.Seconds));
        Row("manager RSS with 100 children", id => Cell(r.Find("rss", id), Format.MiB));
        Row("… of which anonymous (heaps, stacks: `RssAnon`)", id => Cell(r.Find("rss-anon", id), Format.MiB));
        Row("… of which file-backed (executable, libraries: `RssFile`)", id => Cell(r.Find("rss-file", id), Format.MiB));
        Row("manager RSS plus its helper processes", id => Cell(r.Find("rss-total", id), Format.MiB));
        Row("log throughput, 4 × 500k lines: lines/s", id => Cell(r.Find("lines-per-s", id), Format.Rate));
        Row("lines intact and in order, of 2,000,000", id => IntactCell(r, id));
        Row("manager peak RSS during the log flood", id => Cell(r.Find("lines-peak-rss", id), Format.MiB));
        Row("crash (exit 1 after 0.1 s): first restart", id => Restart(r, id));
        Row("stubborn children (ignore SIGTERM, grandchildren): all gone after SIGTERM", id => CellWithLeft(r.Find("stubborn", id), r.Find("stubborn-left", id), Format.Seconds));
        Row($"survivors 2 s after `kill -9` of the manager (workload: {KillNine.Workers} processes)", id => KillNineCell(r, id));
        md.AppendLine();
        md.AppendLine("\"N left\" and survivors: processes of the run still alive 2 s after the manager exited (the harness killed them afterwards); shells a manager puts between itself and a command count too, so a count can exceed the workload. A cell shows `timeout` when a bounded wait ran out.");
        md.AppendLine();

        TargetTable(md, d);
        if (d.Options.Observations is { } observations && File.Exists(observations))
        {
            md.AppendLine(File.ReadAllText(observations).TrimEnd());
            md.AppendLine();
        }
        Method(md, d);
        Machine(md, d);
        Embedded(md, "Micro-benchmarks (BenchmarkDotNet)", d.Options.Micro,
            "Not run in this pass (`bash bench/run.sh` runs them unless `MICRO=0`).");
        return md.ToString();
    }

    private static string Cell(Series? s, Func<double, string> fmt)
    {
        if (s is null || s.Samples.Count == 0)
        {
            return "–";
        }
        if (s.Median is not { } median)
        {
            return s.CommonNote ?? "–";
        }
        string text = s.Values.Count > 1 ? $"{fmt(median)} ({Bare(fmt(s.Min!.Value))}–{fmt(s.Max!.Value)})" : fmt(median);
        int failed = s.Samples.Count(x => x.Value is null);
        return failed > 0 ? $"{text}; {failed}× {s.Samples.First(x => x.Value is null).Note}" : text;
    }

    // "0.065 s" -> "0.065" for the lower end of a range.
    private static string Bare(string formatted)
    {
        int space = formatted.IndexOf(' ');
        return space > 0 ? formatted[..space] : formatted;
    }

    internal static string CellWithLeft(Series? time, Series? left, Func<double, string> fmt)
    {
        string cell = Cell(time, fmt);
        if (left?.Median is { } l && l > 0)
        {
            cell += $", **{l:0} left**";
        }
        return cell;
    }

    internal static string IntactCell(ResultSet r, string id)
    {
        var intact = r.FindWhere("lines-intact", id, "lines-per-s");
        if (intact?.Median is not { } m)
        {
            return "–";
        }
        var parts = new List<string>();
        if (r.FindWhere("lines-glued", id, "lines-per-s")?.Median is { } g && g > 0)
        {
            parts.Add($"{g:N0} glued");
        }
        if (r.FindWhere("lines-split", id, "lines-per-s")?.Median is { } s && s > 0)
        {
            parts.Add($"{s:N0} split");
        }
        if (r.FindWhere("lines-disordered", id, "lines-per-s")?.Median is { } o && o > 0)
        {
            parts.Add($"{o:N0} out of order");
        }
        string text = m >= Throughput.TotalLines ? "all" : $"{m:N0}";
        text = parts.Count == 0 ? text : $"{text} ({string.Join(", ", parts)})";
        int all = r.Find("lines-intact", id)?.Samples.Count ?? 0;
        return intact.Samples.Count < all ? $"{text}, in the {intact.Samples.Count} of {all} repetitions that ran to the end" : text;
    }

    private static string Restart(ResultSet r, string id)
    {
        var first = r.Find("restart-first", id);
        if (first is null)
        {
            return "–";
        }
        if (first.Median is null)
        {
            return first.CommonNote ?? "–";
        }
        // The later gaps of the repetition nearest the median show the backoff.
        var rep = first.Samples.Where(x => x.Value.HasValue).OrderBy(x => Math.Abs(x.Value!.Value - first.Median.Value)).First();
        return $"{Cell(first, Format.Ms)}; {rep.Note}";
    }

    internal static string KillNineCell(ResultSet r, string id)
    {
        var left = r.Find("kill9-left", id);
        if (left?.Median is not { } m)
        {
            return left?.CommonNote ?? "–";
        }
        if (m == 0 && r.Find("kill9-gone", id) is { Complete: true, Median: { } gone })
        {
            // The workload (every tagged process) and everything (helpers too, e.g. Drover's watchdog).
            string core = r.Find("kill9-core-gone", id) is { Complete: true } c
                ? $"the workload gone in {Cell(c, Format.Seconds)}; everything, helpers included, in {Format.Seconds(gone)}"
                : $"everything gone in {Format.Seconds(gone)}";
            return $"none: {core}";
        }
        return left.Values.Min() == left.Values.Max() ? $"**{m:0}**" : $"**{m:0}** ({left.Values.Min():0}–{left.Values.Max():0})";
    }

    private static void TargetTable(StringBuilder md, ReportData d)
    {
        var r = d.Results;
        var targets = Targets.Evaluate(d);
        if (targets.Count == 0)
        {
            return;
        }
        md.AppendLine("## Drover (AOT) against the targets of issue 5");
        md.AppendLine();
        md.AppendLine("| target | measured (median) | met? |");
        md.AppendLine("|---|---|---|");
        foreach (var t in targets)
        {
            md.AppendLine($"| {t.Target} | {t.Measured} | {(t.Met ? "yes" : "**no**")} |");
        }
        md.AppendLine();

        // "Beat every one of them, side by side": compare medians with the best peer.
        md.AppendLine("Against the best peer on each measure (lower is better except lines/s):");
        md.AppendLine();
        md.AppendLine("| measure | Drover (AOT) | best peer | Drover ahead? |");
        md.AppendLine("|---|---|---|---|");
        var peers = d.Tools.Where(t => !t.IsDrover && t.Id != "none").ToList();
        void Versus(string label, string measure, Func<double, string> fmt, bool higherIsBetter = false, string? leftMeasure = null)
        {
            var mine = r.Find(measure, "drover");
            if (mine?.Median is not { } m)
            {
                return;
            }
            // A peer that leaves processes behind, or never finished, did not do the job: it cannot be the best.
            var candidates = peers
                .Select(p => (Peer: p, S: r.Find(measure, p.Id), Left: leftMeasure is null ? 0 : r.Find(leftMeasure, p.Id)?.Median ?? 0))
                .Where(x => x.S is { Complete: true, Median: not null } && x.Left == 0)
                .ToList();
            if (candidates.Count == 0)
            {
                md.AppendLine($"| {label} | {fmt(m)} | none did it | yes |");
                return;
            }
            var best = higherIsBetter ? candidates.MaxBy(x => x.S!.Median!.Value) : candidates.MinBy(x => x.S!.Median!.Value);
            double b = best.S!.Median!.Value;
            bool ahead = higherIsBetter ? m > b : m < b;
            md.AppendLine($"| {label} | {fmt(m)} | {best.Peer.Display} {fmt(b)} | {(ahead ? "yes" : "**no**")} |");
        }
        Versus("start, N=100", "start100", Format.Seconds);
        Versus("stop, N=100 (peers leaving orphans excluded)", "stop100", Format.Seconds, leftMeasure: "stop100-left");
        Versus("manager RSS, 100 children", "rss", Format.MiB);
        Versus("lines/s (any integrity)", "lines-per-s", Format.Rate, higherIsBetter: true);
        Versus("first restart after a crash", "restart-first", Format.Ms);
        Versus("stubborn children, all gone (peers leaving orphans excluded)", "stubborn", Format.Seconds, leftMeasure: "stubborn-left");
        md.AppendLine();
    }

    private static void Method(StringBuilder md, ReportData d)
    {
        md.AppendLine("## How each is measured");
        md.AppendLine();
        md.AppendLine("""
            The harness (`bench/Drover.Bench`, C#) starts each manager as a child of its own in a new session (`setsid`,
            which execs in place), with its configuration in a fresh temp directory and an environment variable
            `DROVER_BENCH_TAG` unique to that launch. Every process the manager starts inherits it, so scanning
            `/proc/*/environ` finds the manager, its children and grandchildren even after they are re-parented, and
            nothing else is ever signalled. A process without the tag whose parent is a process of the run (Drover
            starts its orphan-guard watchdog with a scrubbed environment) is counted too, as a helper. After every launch all tagged processes are killed (SIGKILL) and the temp
            directory removed. Every wait is bounded; a run that overstays is recorded as `timeout`. Zombies count as gone.
            Tools take turns within each repetition, so a drift in the machine's load hits them all alike.

            - **Configurations.** Drover: `drover start -f Procfile -m s=N` (defaults: timestamps, `-t 5`, restart
              on-failure). Foreman: `foreman start -f Procfile -m s=N`. node-foreman: `nf -j Procfile start s=N`.
              PM2: `pm2-runtime start ecosystem.config.js`, one app per type in fork mode with `instances: N`,
              `interpreter: none`, `PM2_HOME` in the temp directory. supervisord: `supervisord -n -c conf`, one
              `[program]` per type with `numprocs=N` and output to supervisord's stdout, everything else default.
              No manager: one `sh` script that starts the commands as background jobs and waits (on SIGTERM it
              kills its jobs and waits for them).
            - **check.** `drover check -f Procfile` (and `foreman check`) on a three-line Procfile, from just before
              the process is started to its exit, 10 times.
            - **Start.** From just before the manager is started to the first `/proc` scan (every ~1 ms) that finds N
              live tagged `sleep 3600` processes.
            - **Stop.** For the same runs, SIGTERM to the manager, then until no tagged process is alive. When the
              manager exits and others stay for 2 s more, the cell says how many were left.
            - **RSS.** `VmRSS` of the manager's process, 1 s after the 100 children run; the second row adds every
              other tagged process that is not a `sleep` (Drover's orphan-guard watchdog, node-foreman's per-child
              shells, ...).
            - **Log throughput and integrity.** Four processes run a small perl generator that copies a prepared file
              of 500,000 lines of 55 bytes (`@@P1 000000001 <37 letters derived from the number>##`) to stdout in
              4096-byte `syswrite`s, so writes end mid-line; then it stays up like a service. The harness reads the
              manager's stdout from a pipe and checks each output line: exactly one whole payload, nothing of another
              before it (the manager's prefix is allowed), and for each producer the numbers 1, 2, 3, ... with none
              missing. Lines/s = 2,000,000 / (time from launch to the arrival of the last payload byte), so it includes
              the manager's start. Peak RSS is the manager's `VmHWM`.
            - **Crash to restart.** One process, a small C program that appends a `CLOCK_MONOTONIC` stamp when it
              starts and another just before `_exit(1)` 0.1 s later. The restart latency is the next start stamp
              minus the exit stamp, as the process sees it (so it includes fork, exec and the dynamic loader). The
              run is watched for 3.5 s; the cell lists the gaps that followed, which show the backoff. The no-manager
              figure is a `while :; do crash; done` loop in `sh`: the floor.
            - **Stubborn children.** Two perl processes that ignore SIGTERM, each with two `sleep` grandchildren that
              ignore it too (an ignored signal stays ignored across exec). SIGTERM to the manager 0.3 s after all
              run; then as for stop, bounded at 45 s. Each manager's default stop timeout applies (Drover and Foreman
              5 s, PM2 1.6 s, supervisord 10 s).
            - **kill -9.** Ten `sleep` processes and two `sh` processes with two `sleep` grandchildren each. 0.5 s
              after all run, SIGKILL to the manager; every tagged process still alive 2 s later is a survivor (for
              Drover that includes its watchdog, if it were still there).
            """);
        md.AppendLine();
    }

    private static void Machine(StringBuilder md, ReportData d)
    {
        md.AppendLine("## Machine and versions");
        md.AppendLine();
        md.AppendLine($"- CPU: {d.Machine.Cpu}, {d.Machine.Cores} cores (`nproc`); memory {d.Machine.MemoryGiB:0.0} GiB; kernel {d.Machine.Kernel}; .NET runtime of the harness {d.Machine.Dotnet}.");
        md.AppendLine("- The machine is shared: other engineers build and test on it during the run. Before every repetition the harness samples CPU use for 0.3 s and, above 35 % of both cores, waits (up to 20 s) for a quieter moment.");
        // One primary series per measure, so each repetition counts once.
        string[] primary = ["check", "start1", "start10", "start100", "lines-per-s", "restart-first", "stubborn", "kill9-left"];
        var busy = d.Results.All.Where(s => primary.Contains(s.Measure)).SelectMany(s => s.Samples).Select(s => s.Busy).ToList();
        if (busy.Count > 0)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU busy just before a repetition: median {Stats.Median(busy):P0}, max {busy.Max():P0}; {busy.Count(b => b >= LoadMonitor.Threshold)} of {busy.Count} repetitions started above the threshold after the wait ran out."));
        }
        md.AppendLine("- Load average (1, 5, 15 min) at the start of each block: " + string.Join("; ", d.Loads.Select(l => $"{l.Measure}: {string.Join(' ', l.Load.Split(' ').Take(3))}")) + ".");
        md.AppendLine();
        md.AppendLine("| tool | version |");
        md.AppendLine("|---|---|");
        foreach (var t in d.Tools)
        {
            md.AppendLine($"| {t.Display} | {d.Versions[t.Id].Replace("|", "\\|", StringComparison.Ordinal)} |");
        }
        md.AppendLine();
        if (d.Options.Note is { } note && File.Exists(note))
        {
            md.AppendLine(File.ReadAllText(note).TrimEnd());
            md.AppendLine();
        }
    }

    private static void Embedded(StringBuilder md, string title, string? path, string missing)
    {
        md.AppendLine($"## {title}");
        md.AppendLine();
        md.AppendLine(path is not null && File.Exists(path) ? File.ReadAllText(path).TrimEnd() : missing);
        md.AppendLine();
    }
}
