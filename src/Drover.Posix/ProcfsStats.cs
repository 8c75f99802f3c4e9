using System.Globalization;
using Drover.Core.Supervision;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Reads CPU time and resident memory from /proc/PID/stat for every process, summed by process group, so a
/// `sh -c` wrapper's real workload (its children) counts for the instance.
/// </summary>
public sealed class ProcfsStats : IProcessStats
{
    private static readonly long TicksPerSecond = Math.Max(1, Libc.sysconf(Libc._SC_CLK_TCK));

    /// <inheritdoc />
    public IReadOnlyDictionary<int, GroupUsage> Sample()
    {
        var usage = new Dictionary<int, GroupUsage>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            string name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // Exited while we looked.
            }
            // Fields after the parenthesised command name (which may contain spaces): state is field 3 of stat(5).
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            int pgrp = int.Parse(f[2], CultureInfo.InvariantCulture);
            long ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
            long rss = long.Parse(f[21], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            usage.TryGetValue(pgrp, out var sum);
            usage[pgrp] = new GroupUsage(sum.Cpu + TimeSpan.FromSeconds((double)ticks / TicksPerSecond), sum.RssBytes + rss);
        }
        return usage;
    }
}
