using Drover.Bench.Tools;

namespace Drover.Bench.Measures;

/// <summary>
/// Start latency (launch until all N <c>sleep</c> children run), then for N=100 the manager's RSS after one more
/// second, then stop latency (SIGTERM until the manager and all children are gone).
/// </summary>
internal static class StartStop
{
    public static void RunOnce(Tool tool, int n, ResultSet results, double busy)
    {
        using var run = ManagedRun.Start(tool, Workload.Sleeps(n));
        double? started = Shutdown.WaitReady(run, p => Shutdown.LiveSleeps(p) >= n, TimeSpan.FromSeconds(20));
        var start = results.Get($"start{n}", tool.Id);
        if (started is null)
        {
            start.Samples.Add(new Sample(null, run.HasExited ? "manager exited" : "timeout", busy));
            Log.Line($"  {tool.Display,-14} N={n,-3} start: {start.Samples[^1].Note} {run.StderrTail}");
            return;
        }
        start.Samples.Add(new Sample(started, null, busy));

        string rssText = "";
        if (n == 100)
        {
            Thread.Sleep(1000);
            long main = ProcScanner.ReadRssKiB(run.Pid);
            // Helpers: every other process of the run except the workload, i.e. the sleeps and the shells that run
            // them as their command (a Procfile command runs under `sh -c`, which stays as the sleep's parent).
            var procs = run.Scanner.Scan().Where(p => p.Alive).ToList();
            var sleepParents = procs.Where(p => p.Comm == "sleep").Select(p => p.ParentPid).ToHashSet();
            long helpers = procs.Where(p => p.Pid != run.Pid && p.Comm != "sleep" && !(sleepParents.Contains(p.Pid) && p.Comm == "sh"))
                .Sum(p => ProcScanner.ReadRssKiB(p.Pid));
            results.Get("rss", tool.Id).Samples.Add(new Sample(main / 1024.0, null, busy));
            // Anonymous memory (heaps, stacks) and file-backed pages (the executable and libraries it touched).
            results.Get("rss-anon", tool.Id).Samples.Add(new Sample(ProcScanner.ReadStatusKiB(run.Pid, "RssAnon:") / 1024.0, null, busy));
            results.Get("rss-file", tool.Id).Samples.Add(new Sample(ProcScanner.ReadStatusKiB(run.Pid, "RssFile:") / 1024.0, null, busy));
            results.Get("rss-total", tool.Id).Samples.Add(new Sample((main + helpers) / 1024.0, null, busy));
            rssText = $" rss {main / 1024.0:0.0} MiB (+{helpers / 1024.0:0.0} helpers)";
        }

        var outcome = Shutdown.SignalAndWait(run, Libc.SigTerm, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(2));
        results.Get($"stop{n}", tool.Id).Samples.Add(new Sample(outcome.Time, outcome.ManagerGone is null ? "timeout" : null, busy));
        results.Get($"stop{n}-left", tool.Id).Samples.Add(new Sample(outcome.Left, null, busy));
        results.Get($"stop{n}-core", tool.Id).Samples.Add(new Sample(outcome.CoreGone, outcome.CoreGone is null ? "not all gone" : null, busy));
        Log.Line($"  {tool.Display,-14} N={n,-3} start {started:0.000} s{rssText}; stop: {outcome.Describe()} (busy {busy:P0})");
    }
}
