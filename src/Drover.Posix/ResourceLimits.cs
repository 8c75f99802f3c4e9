using System.Globalization;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// The limits that decide how many processes Drover can run: its open-file limit (one pipe end per process), the
/// user's process limit, the kernel's pid and thread limits and the cgroup's pids.max. Read from getrlimit and /proc.
/// </summary>
public static unsafe class ResourceLimits
{
    /// <summary>
    /// Raises the soft open-file limit to the hard one (each process costs Drover one file descriptor). Returns a
    /// problem to warn about, or null. Children inherit the raised limit, as under the .NET runtime's own start-up.
    /// </summary>
    public static string? RaiseOpenFileLimit()
    {
        Libc.RLimit limit;
        if (Libc.getrlimit(Libc.RLIMIT_NOFILE, &limit) != 0)
        {
            return PosixException.Last("getrlimit(RLIMIT_NOFILE)").Message;
        }
        if (limit.Current >= limit.Max)
        {
            return null;
        }
        var raised = new Libc.RLimit { Current = limit.Max, Max = limit.Max };
        return Libc.setrlimit(Libc.RLIMIT_NOFILE, &raised) == 0 ? null : PosixException.Last("setrlimit(RLIMIT_NOFILE)").Message;
    }

    /// <summary>The soft open-file limit (null when unlimited or unknown).</summary>
    public static ulong? OpenFileLimit() => Soft(Libc.RLIMIT_NOFILE);

    /// <summary>The soft process limit of this user (null when unlimited or unknown).</summary>
    public static ulong? ProcessLimit() => Soft(Libc.RLIMIT_NPROC);

    /// <summary>How many file descriptors this process has open.</summary>
    public static int OpenFiles()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Threads (tasks) the user <paramref name="uid"/> runs: what RLIMIT_NPROC counts.</summary>
    public static int TasksOf(uint uid)
    {
        int tasks = 0;
        string owner = uid.ToString(CultureInfo.InvariantCulture);
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            string name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }
            try
            {
                string? uidLine = null;
                int threads = 1;
                foreach (string line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    {
                        uidLine = line;
                    }
                    else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                    {
                        _ = int.TryParse(line.AsSpan(8).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out threads);
                        break;
                    }
                }
                if (uidLine is not null && uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, var real, ..] && real == owner)
                {
                    tasks += threads;
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return tasks;
    }

    /// <summary>Every task on the system (the second number of /proc/loadavg's fourth field).</summary>
    public static int SystemTasks()
    {
        string[] fields = ReadFirstLine("/proc/loadavg")?.Split(' ') ?? [];
        return fields.Length > 3 && fields[3].Split('/') is [_, var total]
            && int.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
    }

    /// <summary>The kernel's limit on tasks: the smaller of kernel.pid_max and kernel.threads-max.</summary>
    public static long? KernelTaskLimit()
    {
        long? pidMax = ReadNumber("/proc/sys/kernel/pid_max");
        long? threadsMax = ReadNumber("/proc/sys/kernel/threads-max");
        return pidMax is null ? threadsMax : threadsMax is null ? pidMax : Math.Min(pidMax.Value, threadsMax.Value);
    }

    /// <summary>The tightest pids.max of this process's cgroup and its ancestors, with its pids.current and path.</summary>
    public static (long Max, long Current, string Path)? CgroupPids()
    {
        string? line = File.Exists("/proc/self/cgroup")
            ? File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))
            : null;
        if (line is null)
        {
            return null;
        }
        (long, long, string)? tightest = null;
        for (string dir = "/sys/fs/cgroup" + line[3..].TrimEnd('/'); dir.StartsWith("/sys/fs/cgroup", StringComparison.Ordinal); dir = Path.GetDirectoryName(dir) ?? "")
        {
            if (ReadNumber(Path.Combine(dir, "pids.max")) is long max && ReadNumber(Path.Combine(dir, "pids.current")) is long current
                && (tightest is null || max - current < tightest.Value.Item1 - tightest.Value.Item2))
            {
                tightest = (max, current, dir);
            }
        }
        return tightest;
    }

    private static ulong? Soft(int resource)
    {
        Libc.RLimit limit;
        return Libc.getrlimit(resource, &limit) == 0 && limit.Current != ulong.MaxValue ? limit.Current : null;
    }

    private static long? ReadNumber(string path) =>
        long.TryParse(ReadFirstLine(path), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
