using System.Globalization;
using Drover.Bench.Tools;

namespace Drover.Bench.Measures;

/// <summary>
/// Crash-to-restart latency: one process that exits 1 after 0.1 s (a small C program stamping CLOCK_MONOTONIC
/// at start and just before exit). The gap from one run's exit stamp to the next run's start stamp is the restart
/// latency as the process sees it; the run is watched for 3.5 s to see the backoff after the first restart.
/// </summary>
internal static class Crash
{
    public static void RunOnce(Tool tool, Fixtures fixtures, ResultSet results, double busy)
    {
        string log = Path.Combine(fixtures.Dir, $"crash-{Guid.NewGuid():N}.log");
        var workload = new Workload("crash", [new ProcType("c", [fixtures.Crash, log], 1)], RestartLoop: true);
        bool managerExited;
        using (var run = ManagedRun.Start(tool, workload))
        {
            bool started = ManagedRun.Poll(() => File.Exists(log) || run.HasExited, TimeSpan.FromSeconds(15));
            if (started && File.Exists(log))
            {
                ManagedRun.Poll(() => run.HasExited, TimeSpan.FromSeconds(3.5), 20);
            }
            managerExited = run.HasExited;
        }
        var stamps = File.Exists(log) ? File.ReadAllLines(log) : [];
        File.Delete(log);
        var gaps = new List<double>();
        double? lastExit = null;
        foreach (var line in stamps)
        {
            var parts = line.Split(' ');
            if (parts.Length != 2 || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out long ns))
            {
                continue;
            }
            double t = ns / 1e6;
            if (parts[0] == "E")
            {
                lastExit = t;
            }
            else if (parts[0] == "S" && lastExit is { } exit)
            {
                gaps.Add(t - exit);
                lastExit = null;
            }
        }
        static string Ms(IEnumerable<double> values) =>
            string.Join(", ", values.Select(g => g.ToString(g < 10 ? "0.0" : "0", CultureInfo.InvariantCulture)));
        string gapText = Ms(gaps.Take(8));
        // The cell shows the first restart as the figure and what followed as the note: the backoff, or its absence.
        string note = stamps.Length == 0 ? "never started"
            : gaps.Count == 0 ? (managerExited ? "no restart: manager exited" : "no restart")
            : gaps.Count == 1 ? "then no more in 3.5 s"
            : $"then {Ms(gaps.Skip(1).Take(5))}{(gaps.Count > 6 ? ", ..." : "")} ms ({gaps.Count} restarts in 3.5 s)";
        results.Get("restart-first", tool.Id).Samples.Add(new Sample(gaps.Count > 0 ? gaps[0] : null, note, busy));
        results.Get("restart-count", tool.Id).Samples.Add(new Sample(gaps.Count, null, busy));
        Log.Line($"  {tool.Display,-14} crash: {gaps.Count} restarts in 3.5 s; gaps {gapText} ms; {note} (busy {busy:P0})");
    }
}
