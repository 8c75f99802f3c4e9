using System.Diagnostics;
using Drover.Bench.Tools;

namespace Drover.Bench.Measures;

/// <summary>
/// Survivors after <c>kill -9</c> of the manager: ten <c>sleep</c> processes and two shells with two <c>sleep</c>
/// grandchildren each (16 processes). 0.5 s after all run, SIGKILL to the manager; every process of the run still
/// alive 2 s later is a survivor.
/// </summary>
internal static class KillNine
{
    public const int Workers = 16;

    public static void RunOnce(Tool tool, Fixtures fixtures, ResultSet results, double busy)
    {
        var workload = new Workload("kill9",
        [
            new ProcType("s", ["sleep", "3600"], 10),
            new ProcType("g", ["sh", fixtures.Grandchildren], 2),
        ]);
        using var run = ManagedRun.Start(tool, workload);
        double? ready = Shutdown.WaitReady(run, p => Shutdown.LiveSleeps(p) >= 14, TimeSpan.FromSeconds(20));
        if (ready is null)
        {
            results.Get("kill9-left", tool.Id).Samples.Add(new Sample(null, "did not start", busy));
            Log.Line($"  {tool.Display,-14} kill -9: did not start {run.StderrTail}");
            return;
        }
        Thread.Sleep(500);
        long t0 = Stopwatch.GetTimestamp();
        run.Signal(Libc.SigKill);
        double? allGone = null;
        double? workloadGone = null;
        int left = 0;
        while (Stopwatch.GetElapsedTime(t0) < TimeSpan.FromSeconds(2))
        {
            var procs = run.Scanner.Scan().Where(p => p.Alive && p.Pid != run.Pid).ToList();
            double now = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            left = procs.Count;
            // The workload: every tagged process; untagged helpers the manager started (Drover's watchdog) aside.
            if (workloadGone is null && !procs.Any(p => !p.Adopted))
            {
                workloadGone = now;
            }
            if (left == 0)
            {
                allGone = now;
                break;
            }
            Thread.Sleep(2);
        }
        results.Get("kill9-left", tool.Id).Samples.Add(new Sample(left, null, busy));
        results.Get("kill9-gone", tool.Id).Samples.Add(new Sample(allGone, allGone is null ? $"{left} left" : null, busy));
        results.Get("kill9-core-gone", tool.Id).Samples.Add(new Sample(workloadGone, workloadGone is null ? "not all gone" : null, busy));
        Log.Line($"  {tool.Display,-14} kill -9: " +
                 (allGone is { } g ? $"all gone in {g:0.000} s (workload in {workloadGone:0.000} s)" : $"{left} alive after 2 s") +
                 $" (busy {busy:P0})");
    }
}
