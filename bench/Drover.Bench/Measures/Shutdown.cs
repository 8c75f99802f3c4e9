using System.Diagnostics;

namespace Drover.Bench.Measures;

/// <summary>What happened after a signal to the manager.</summary>
/// <param name="ManagerGone">Seconds until the manager itself had exited; null if it did not within the timeout.</param>
/// <param name="AllGone">Seconds until the manager and every process of the run had exited; null if not.</param>
/// <param name="Left">Processes of the run still alive at the end of the wait.</param>
/// <param name="CoreGone">Seconds until the manager and every tagged process had exited, i.e. not counting untagged helpers it started (Drover's watchdog).</param>
internal sealed record ShutdownOutcome(double? ManagerGone, double? AllGone, int Left, double? CoreGone = null)
{
    /// <summary>The time to report: all gone, else the manager's exit; null when the manager never exited.</summary>
    public double? Time => AllGone ?? ManagerGone;

    public string Describe() => (AllGone, ManagerGone) switch
    {
        ({ } all, _) => $"all gone in {all:0.000} s" + (CoreGone is { } core && core < all - 0.0005 ? $" (all but helpers in {core:0.000} s)" : ""),
        (null, { } mgr) => $"manager exited in {mgr:0.000} s, {Left} left",
        _ => $"timeout, {Left} left",
    };
}

internal static class Shutdown
{
    /// <summary>
    /// Sends <paramref name="signal"/> to the manager and polls /proc every millisecond until the manager and every
    /// process of the run are gone; when the manager exits but others stay, waits <paramref name="grace"/> more and
    /// counts them. Never waits longer than <paramref name="timeout"/>.
    /// </summary>
    public static ShutdownOutcome SignalAndWait(ManagedRun run, int signal, TimeSpan timeout, TimeSpan grace)
    {
        long t0 = Stopwatch.GetTimestamp();
        run.Signal(signal);
        double? managerGone = null;
        double? coreGone = null;
        while (true)
        {
            double now = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var procs = run.Scanner.Scan();
            bool managerAlive = procs.Any(p => p.Pid == run.Pid && p.Alive) && !run.HasExited;
            int alive = procs.Count(p => p.Alive && p.Pid != run.Pid);
            if (!managerAlive && managerGone is null)
            {
                managerGone = now;
            }
            if (!managerAlive && coreGone is null && !procs.Any(p => p.Alive && !p.Adopted && p.Pid != run.Pid))
            {
                coreGone = now;
            }
            if (!managerAlive && alive == 0)
            {
                return new ShutdownOutcome(managerGone, now, 0, coreGone ?? now);
            }
            if (managerGone is { } gone && now - gone > grace.TotalSeconds)
            {
                return new ShutdownOutcome(managerGone, null, alive, coreGone);
            }
            if (now > timeout.TotalSeconds)
            {
                return new ShutdownOutcome(managerGone, null, alive + (managerAlive ? 1 : 0), coreGone);
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; returns the seconds since the run's launch, or null on timeout or early exit.</summary>
    public static double? WaitReady(ManagedRun run, Func<List<ProcInfo>, bool> condition, TimeSpan timeout)
    {
        while (true)
        {
            var procs = run.Scanner.Scan();
            double now = run.Elapsed;
            if (condition(procs))
            {
                return now;
            }
            if (now > timeout.TotalSeconds || run.HasExited)
            {
                return null;
            }
            Thread.Sleep(1);
        }
    }

    public static int LiveSleeps(List<ProcInfo> procs) => procs.Count(p => p.Alive && p.Comm == "sleep");
}
