using System.Globalization;

namespace Drover.Cli.Tests.Support;

/// <summary>One process as /proc/PID/stat describes it: what the kernel says, not what the process claims.</summary>
/// <param name="Pid">The process id.</param>
/// <param name="State">R, S, D, T, Z (zombie), X (dead)...</param>
/// <param name="ParentPid">The parent's pid.</param>
/// <param name="ProcessGroup">The process group id.</param>
/// <param name="Session">The session id.</param>
/// <param name="StartTime">Clock ticks after boot when it started: with the pid, identifies it even if the pid is reused.</param>
internal readonly record struct ProcStat(int Pid, char State, int ParentPid, int ProcessGroup, int Session, ulong StartTime)
{
    /// <summary>True unless it is a zombie or dead: a zombie has finished, only its exit status is left.</summary>
    public bool IsRunning => State is not 'Z' and not 'X';
}

/// <summary>Reads the process table from /proc.</summary>
internal static class ProcessTable
{
    /// <summary>The stat of <paramref name="pid"/>, or null when there is no such process.</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name is in parentheses and may contain spaces and ')': fields start after the last ')'.
        string[] f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcStat(
            pid,
            f[0][0],
            int.Parse(f[1], CultureInfo.InvariantCulture),
            int.Parse(f[2], CultureInfo.InvariantCulture),
            int.Parse(f[3], CultureInfo.InvariantCulture),
            ulong.Parse(f[19], CultureInfo.InvariantCulture));
    }

    /// <summary>Every process visible now.</summary>
    public static IReadOnlyList<ProcStat> All()
    {
        var all = new List<ProcStat>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(System.IO.Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && Read(pid) is { } stat)
            {
                all.Add(stat);
            }
        }
        return all;
    }

    /// <summary>True when <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsRunning(int pid) => Read(pid) is { IsRunning: true };

    /// <summary>Children, grandchildren and so on of <paramref name="pid"/>, found through their parent pids.</summary>
    public static IReadOnlyList<ProcStat> Descendants(int pid)
    {
        var byParent = All().ToLookup(p => p.ParentPid);
        var found = new List<ProcStat>();
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out int parent))
        {
            foreach (var child in byParent[parent])
            {
                found.Add(child);
                pending.Enqueue(child.Pid);
            }
        }
        return found;
    }

    /// <summary>The processes of session <paramref name="session"/> still running (zombies excluded).</summary>
    public static IReadOnlyList<ProcStat> RunningInSession(int session) =>
        [.. All().Where(p => p.Session == session && p.IsRunning)];

    /// <summary>The processes of group <paramref name="group"/> still running (zombies excluded).</summary>
    public static IReadOnlyList<ProcStat> RunningInGroup(int group) =>
        [.. All().Where(p => p.ProcessGroup == group && p.IsRunning)];
}

/// <summary>A process seen alive at some point, identified by pid and start time so a reused pid is not mistaken for it.</summary>
internal sealed record TrackedProcess(int Pid, ulong StartTime)
{
    /// <summary>Records <paramref name="pid"/> as it is now; fails when it is not running, which a test must know.</summary>
    public static TrackedProcess Capture(int pid) => ProcessTable.Read(pid) is { IsRunning: true } stat
        ? new TrackedProcess(pid, stat.StartTime)
        : throw new InvalidOperationException($"pid {pid} is not running: the test cannot track it");

    /// <summary>True while the same process still exists and is not a zombie.</summary>
    public bool IsRunning => ProcessTable.Read(Pid) is { IsRunning: true } stat && stat.StartTime == StartTime;

    /// <summary>For failure messages.</summary>
    public override string ToString() => $"pid {Pid}";
}
