namespace Drover.Bench;

/// <summary>
/// Other engineers build on this machine while the benchmarks run. Before each repetition the harness samples how
/// busy the CPUs are and, when someone else is clearly using them, waits (bounded) for a quieter moment; the busy
/// fraction it saw is recorded with the sample.
/// </summary>
internal static class LoadMonitor
{
    /// <summary>Busy above this fraction of all cores counts as disturbed (one core at 70% on two cores = 0.35).</summary>
    public const double Threshold = 0.35;

    /// <summary>Fraction of all CPU time that was not idle over <paramref name="window"/>.</summary>
    public static double Busy(TimeSpan window)
    {
        var (idle0, total0) = Read();
        Thread.Sleep(window);
        var (idle1, total1) = Read();
        long total = total1 - total0;
        return total <= 0 ? 0 : 1 - (double)(idle1 - idle0) / total;
    }

    /// <summary>Waits up to <paramref name="maxWait"/> for the machine to be quiet; returns the last busy fraction seen.</summary>
    public static double WaitForQuiet(TimeSpan maxWait)
    {
        var start = DateTime.UtcNow;
        while (true)
        {
            double busy = Busy(TimeSpan.FromMilliseconds(300));
            if (busy < Threshold || DateTime.UtcNow - start > maxWait)
            {
                return busy;
            }
            Thread.Sleep(700);
        }
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

    private static (long Idle, long Total) Read()
    {
        // First line: "cpu user nice system idle iowait irq softirq steal ..."
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long total = 0;
        for (int i = 1; i < fields.Length && i <= 8; i++)
        {
            total += long.Parse(fields[i]);
        }
        long idle = long.Parse(fields[4]) + long.Parse(fields[5]);
        return (idle, total);
    }
}
