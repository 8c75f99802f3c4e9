using System.Text;

namespace Drover.Bench;

/// <summary>One process as /proc shows it.</summary>
/// <param name="Adopted">Not tagged, but a descendant of a process of the run (e.g. a helper with a scrubbed environment).</param>
internal readonly record struct ProcInfo(int Pid, int ParentPid, string Comm, char State, bool Adopted = false)
{
    /// <summary>A zombie has exited; it only waits for its parent to reap it.</summary>
    public bool Alive => State != 'Z' && State != 'X';
}

/// <summary>
/// Finds the processes of one benchmark run by scanning /proc. Every process a run starts inherits the
/// environment variable <see cref="TagVariable"/> with a value unique to that run, so the harness recognises the
/// manager, its children and its grandchildren even after they are re-parented, and never touches anything else.
/// Processes that existed before the run are skipped without reading their environment.
/// </summary>
internal sealed class ProcScanner
{
    public const string TagVariable = "DROVER_BENCH_TAG";

    private readonly byte[] _needle;
    private readonly HashSet<int> _before;
    // (pid, start time in ticks) -> carries the tag, and the command name when that was decided: an exec changes
    // both the name and the environment (a child read between posix_spawn and exec still shows its parent's).
    private readonly Dictionary<(int Pid, long Start), (bool Ours, string Comm)> _ours = [];
    private readonly HashSet<(int Pid, long Start)> _adopted = [];
    private readonly byte[] _buffer = new byte[256 * 1024];

    public ProcScanner(string tag)
    {
        Tag = tag;
        _needle = Encoding.ASCII.GetBytes("\0" + TagVariable + "=" + tag + "\0");
        _before = [.. ListPids()];
    }

    public string Tag { get; }

    /// <summary>
    /// Every live or zombie process of this run: those carrying the tag, and the children of those (a manager may
    /// start a helper with a scrubbed environment, as Drover does its orphan-guard watchdog).
    /// </summary>
    public List<ProcInfo> Scan()
    {
        var seen = new HashSet<int>();
        var candidates = new List<(ProcInfo Info, long Start, bool Ours)>();
        foreach (int pid in ListPids())
        {
            seen.Add(pid);
            if (_before.Contains(pid))
            {
                continue;
            }
            if (!TryReadStat(pid, out var info, out long start))
            {
                continue;
            }
            if (_adopted.Contains((pid, start)))
            {
                info = info with { Adopted = true };
            }
            bool ours;
            if (_ours.TryGetValue((pid, start), out var known) && (known.Comm == info.Comm || !info.Alive))
            {
                ours = known.Ours;
            }
            else
            {
                // The environment reads empty for a zombie and for a moment in the middle of an exec: decide only
                // on a non-empty read, else look again at the next scan.
                bool? tagged = HasTag(pid);
                ours = tagged ?? known.Ours;
                if (tagged is { } decided)
                {
                    _ours[(pid, start)] = (decided, info.Comm);
                    if (decided)
                    {
                        _adopted.Remove((pid, start));
                        info = info with { Adopted = false };
                    }
                }
            }
            candidates.Add((info, start, ours));
        }
        // Adopt untagged children of processes of the run, to any depth (a few passes at most).
        var ourPids = candidates.Where(c => c.Ours).Select(c => c.Info.Pid).ToHashSet();
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int i = 0; i < candidates.Count; i++)
            {
                var c = candidates[i];
                if (!c.Ours && ourPids.Contains(c.Info.ParentPid))
                {
                    candidates[i] = c with { Ours = true, Info = c.Info with { Adopted = true } };
                    _ours[(c.Info.Pid, c.Start)] = (true, c.Info.Comm);
                    _adopted.Add((c.Info.Pid, c.Start));
                    ourPids.Add(c.Info.Pid);
                    changed = true;
                }
            }
        }
        // A pid that existed before the run and has gone may come back as one of ours.
        _before.IntersectWith(seen);
        return [.. candidates.Where(c => c.Ours).Select(c => c.Info)];
    }

    /// <summary>The number of live processes of this run for which <paramref name="match"/> holds.</summary>
    public int CountAlive(Func<ProcInfo, bool> match)
    {
        int n = 0;
        foreach (var p in Scan())
        {
            if (p.Alive && match(p))
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>
    /// The last safety net: kills every process whose tag starts with <paramref name="prefix"/> (this harness's pid),
    /// whichever run it came from. Returns how many were found.
    /// </summary>
    public static int KillByTagPrefix(string prefix)
    {
        var needle = Encoding.ASCII.GetBytes(TagVariable + "=" + prefix);
        int found = 0;
        foreach (int pid in ListPids())
        {
            try
            {
                var env = File.ReadAllBytes($"/proc/{pid}/environ");
                int at = env.AsSpan().IndexOf(needle);
                if (at == 0 || (at > 0 && env[at - 1] == 0))
                {
                    found++;
                    Libc.Kill(pid, Libc.SigKill);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    /// <summary>Resident set size of <paramref name="pid"/> in KiB, or its peak (VmHWM) when asked.</summary>
    public static long ReadRssKiB(int pid, bool peak = false) => ReadStatusKiB(pid, peak ? "VmHWM:" : "VmRSS:");

    /// <summary>A "kB" field of /proc/pid/status (VmRSS, VmHWM, RssAnon, RssFile, ...), 0 when unreadable.</summary>
    public static long ReadStatusKiB(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0]);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    private static IEnumerable<int> ListPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir.AsSpan()), out int pid))
            {
                yield return pid;
            }
        }
    }

    private bool TryReadStat(int pid, out ProcInfo info, out long start)
    {
        info = default;
        start = 0;
        int n = ReadFile($"/proc/{pid}/stat");
        if (n <= 0)
        {
            return false;
        }
        // "pid (comm) S ppid ..." where comm may contain spaces and parentheses: split at the last ')'.
        var text = Encoding.ASCII.GetString(_buffer, 0, n);
        int open = text.IndexOf('(');
        int close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return false;
        }
        string comm = text[(open + 1)..close];
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] = state, [1] = ppid, ... [19] = starttime (field 22 of stat).
        if (fields.Length < 20)
        {
            return false;
        }
        info = new ProcInfo(pid, int.Parse(fields[1]), comm, fields[0][0]);
        start = long.Parse(fields[19]);
        return true;
    }

    private bool? HasTag(int pid)
    {
        int n = ReadFile($"/proc/{pid}/environ");
        if (n <= 0)
        {
            return null;
        }
        // Entries are NUL-terminated; prefix one NUL so the first entry matches too.
        var span = _buffer.AsSpan(0, n);
        return span.StartsWith(_needle.AsSpan(1)) || span.IndexOf(_needle) >= 0;
    }

    private int ReadFile(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            int total = 0;
            while (total < _buffer.Length)
            {
                int n = RandomAccess.Read(handle, _buffer.AsSpan(total), total);
                if (n <= 0)
                {
                    break;
                }
                total += n;
            }
            return total;
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
