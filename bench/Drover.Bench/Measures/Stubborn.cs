using Drover.Bench.Tools;

namespace Drover.Bench.Measures;

/// <summary>
/// Stubborn children: two processes that ignore SIGTERM, each with two grandchildren that ignore it too. After
/// SIGTERM to the manager: the time until the manager and everything it started are gone, and what survives
/// (counted 2 s after the manager exits).
/// </summary>
internal static class Stubborn
{
    public static void RunOnce(Tool tool, Fixtures fixtures, ResultSet results, double busy)
    {
        var workload = new Workload("stubborn", [new ProcType("x", ["perl", fixtures.Stubborn], 2)]);
        using var run = ManagedRun.Start(tool, workload);
        double? ready = Shutdown.WaitReady(run, p => Shutdown.LiveSleeps(p) >= 4, TimeSpan.FromSeconds(20));
        if (ready is null)
        {
            results.Get("stubborn", tool.Id).Samples.Add(new Sample(null, "did not start", busy));
            Log.Line($"  {tool.Display,-14} stubborn: did not start {run.StderrTail}");
            return;
        }
        Thread.Sleep(300);
        var outcome = Shutdown.SignalAndWait(run, Libc.SigTerm, TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(2));
        results.Get("stubborn", tool.Id).Samples.Add(new Sample(outcome.Time, outcome.ManagerGone is null ? "timeout" : null, busy));
        results.Get("stubborn-left", tool.Id).Samples.Add(new Sample(outcome.Left, null, busy));
        results.Get("stubborn-core", tool.Id).Samples.Add(new Sample(outcome.CoreGone, outcome.CoreGone is null ? "not all gone" : null, busy));
        Log.Line($"  {tool.Display,-14} stubborn: {outcome.Describe()} (busy {busy:P0})");
    }
}
