using System.Text;
using Drover.Core.Supervision;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Makes sure the formation dies with Drover, even when Drover is killed with SIGKILL and cannot clean up.
/// </summary>
/// <remarks>
/// A tiny watchdog (/bin/sh, in its own session, immune to the terminal's signals) reads the ids of Drover's
/// live process groups from a pipe whose only writer is Drover. When Drover dies for any reason the kernel
/// closes that pipe; the watchdog sees end-of-file and sends SIGTERM, then SIGKILL half a second later, to every
/// group still registered: grandchildren included, since they are in those groups. A group is deregistered
/// before anyone is told it is gone (see <see cref="PosixProcessLauncher"/>), and <see cref="Dispose"/> drops
/// any registered group that has emptied, so after a normal exit the watchdog has nothing to signal and never
/// touches a process group id the kernel may already have given to someone else. See docs/orphans.md for why this mechanism
/// and not PR_SET_PDEATHSIG (which posix_spawn cannot set, and which misses grandchildren) or a PID namespace
/// (which needs privileges).
/// </remarks>
public sealed class OrphanGuard : IDisposable
{
    // Deliberately plain POSIX sh: it must run wherever /bin/sh does, and costs about 1 MiB.
    private const string Script = """
        trap '' INT TERM HUP QUIT
        groups=' '
        while IFS= read -r line; do
          case $line in
            +*) groups="$groups${line#+} " ;;
            -*) g=${line#-}
                case $groups in *" $g "*) groups="${groups%%" $g "*} ${groups#*" $g "}" ;; esac ;;
          esac
        done
        set -- $groups
        [ $# -eq 0 ] && exit 0
        for g; do kill -TERM "-$g" 2>/dev/null; done
        sleep 0.5
        for g; do kill -KILL "-$g" 2>/dev/null; done
        exit 3
        """;

    /// <summary>The watchdog's exit status when it had groups to take down (0 when it had none).</summary>
    public const int SignalledExitCode = 3;

    /// <summary>How often the watchdog is looked at: dead or stopped (SIGSTOP), it is replaced.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly HashSet<int> _registered = [];
    private readonly Timer _watch;
    private int _writeFd;
    private volatile int _watchdogPid;
    private bool _disposed;

    private OrphanGuard(int writeFd, int watchdogPid)
    {
        _writeFd = writeFd;
        _watchdogPid = watchdogPid;
        _watch = new Timer(_ => Watch(), null, WatchInterval, WatchInterval);
    }

    /// <summary>The current watchdog's pid.</summary>
    public int WatchdogPid => _watchdogPid;

    /// <summary>
    /// Told when the watchdog died or stalled and was replaced (or could not be), so the user knows. Never blocks:
    /// Drover's own loop must not wait on its watchdog.
    /// </summary>
    public Action<string>? Warn { get; set; }

    /// <summary>Starts the watchdog; returns null and a reason when it cannot run here.</summary>
    public static (OrphanGuard? Guard, string? Problem) Start()
    {
        var (writeFd, pid, problem) = Spawn();
        return problem is null ? (new OrphanGuard(writeFd, pid), null) : (null, problem);
    }

    /// <summary>A new watchdog and the write end of its pipe (non-blocking: a stalled watchdog makes writes fail, not wait).</summary>
    private static (int WriteFd, int Pid, string? Problem) Spawn()
    {
        int readFd, writeFd;
        try
        {
            (readFd, writeFd) = Pipe.CreateBlocking();
        }
        catch (PosixException e)
        {
            return (-1, 0, e.Message);
        }
        try
        {
            int pid = Spawner.SpawnInNewSession("/bin/sh", ["/bin/sh", "-c", Script, "drover-orphan-guard"],
                ["PATH=/usr/local/bin:/usr/bin:/bin"], "/", outputFd: -1, inputFd: readFd);
            int flags = Libc.fcntl(writeFd, Libc.F_GETFL, 0);
            Libc.fcntl(writeFd, Libc.F_SETFL, flags | Libc.O_NONBLOCK);
            return (writeFd, pid, null);
        }
        catch (PosixException e)
        {
            Libc.close(writeFd);
            return (-1, 0, e.Message);
        }
        finally
        {
            Libc.close(readFd);
        }
    }

    /// <summary>The process groups the watchdog would signal if Drover died now.</summary>
    public int[] RegisteredGroups
    {
        get
        {
            lock (_gate)
            {
                return [.. _registered];
            }
        }
    }

    /// <summary>Registers a new process group (once: the watchdog keeps a list, not a set).</summary>
    public void Add(int pgid)
    {
        lock (_gate)
        {
            if (_registered.Add(pgid))
            {
                Send($"+{pgid}\n");
            }
        }
    }

    /// <summary>
    /// Forgets a group that is gone (so a reused id is never killed by mistake). Synchronous: once this returns
    /// the line is in the watchdog's pipe, ahead of the end-of-file that Drover's exit produces.
    /// </summary>
    public void Remove(int pgid)
    {
        lock (_gate)
        {
            if (_registered.Remove(pgid))
            {
                Send($"-{pgid}\n");
            }
        }
    }

    // Called under _gate. A line that cannot be written at once (the watchdog is stopped and its pipe full, or it
    // is dead) replaces the watchdog, which then learns every registered group.
    private void Send(string line)
    {
        if (_writeFd < 0)
        {
            Replace("is gone");
            return;
        }
        // Waits only while the watchdog is alive and not stopped: a slow reader catching up is waited for.
        int pid = _watchdogPid;
        if (!TryWrite(_writeFd, line, wait: () => ProcState(pid) is 'R' or 'S' or 'D' or Unknown))
        {
            Replace(ProcState(pid) is 'T' or 't' ? "was stopped" : "died");
        }
    }

    private static unsafe bool TryWrite(int fd, string line, Func<bool> wait)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line);
        fixed (byte* p = bytes)
        {
            while (true)
            {
                // Short lines into a pipe are written whole (PIPE_BUF) or not at all.
                if (Libc.write(fd, p, bytes.Length) == bytes.Length)
                {
                    return true;
                }
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                {
                    continue;
                }
                if (errno != Libc.EAGAIN || !wait())
                {
                    return false;
                }
                // Full: give the watchdog a moment to read, then ask again whether it still can.
                var pfd = new Libc.PollFd { Fd = fd, Events = 0x004 }; // POLLOUT
                Libc.poll(&pfd, 1, 100);
            }
        }
    }

    // Called under _gate.
    private void Replace(string why)
    {
        if (_disposed)
        {
            return;
        }
        int old = _watchdogPid;
        // Killed before its pipe is closed: the end-of-file would otherwise make it take every group down. A
        // stopped watchdog must never wake up later with a stale list either: it goes for good.
        Libc.kill(old, Signals.Kill);
        if (_writeFd >= 0)
        {
            Libc.close(_writeFd);
            _writeFd = -1;
        }
        var (writeFd, pid, problem) = Spawn();
        if (problem is not null)
        {
            Warn?.Invoke($"warning: the orphan guard (pid {old}) {why} and no new one could start ({problem}); if Drover is killed, its processes will survive it");
            return;
        }
        bool caughtUp = _registered.All(g => TryWrite(writeFd, $"+{g}\n", wait: () => ProcState(pid) is 'R' or 'S' or 'D' or Unknown));
        _writeFd = writeFd;
        _watchdogPid = pid;
        Warn?.Invoke(caughtUp
            ? $"warning: the orphan guard (pid {old}) {why}; a new one (pid {pid}) took over"
            : $"warning: the orphan guard (pid {old}) {why}; a new one (pid {pid}) could not take all {_registered.Count} groups");
    }

    private void Watch()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            char? state = ProcState(_watchdogPid);
            if (state is Unknown)
            {
                return; // not readable now (no descriptor left): ask again next time
            }
            if (state is null or 'Z' or 'X')
            {
                Replace("died");
            }
            else if (state is 'T' or 't')
            {
                Replace("was stopped");
            }
        }
    }

    /// <summary>What <see cref="ProcState"/> says when it cannot tell (e.g. no file descriptor is left).</summary>
    private const char Unknown = '?';

    /// <summary>
    /// The state letter of /proc/PID/stat; null when the process is gone, <see cref="Unknown"/> when the file
    /// could not be read for another reason: out of descriptors, a live watchdog must not be taken for dead.
    /// </summary>
    private static char? ProcState(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length ? stat[close + 2] : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            return Libc.kill(pid, 0) == 0 ? Unknown : null;
        }
    }

    /// <summary>
    /// Closes the pipe: the watchdog exits, killing whatever is still registered and alive. Groups that have
    /// emptied but whose end was not reported yet are deregistered first, so a normal exit signals nothing.
    /// </summary>
    public void Dispose()
    {
        _watch.Dispose();
        lock (_gate)
        {
            foreach (int pgid in _registered.Where(g => !Reaper.GroupAlive(g)).ToList())
            {
                _registered.Remove(pgid);
                Send($"-{pgid}\n");
            }
            _disposed = true;
            if (_writeFd >= 0)
            {
                Libc.close(_writeFd);
                _writeFd = -1;
            }
        }
    }
}
