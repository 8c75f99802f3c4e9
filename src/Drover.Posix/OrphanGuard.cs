using System.Text;
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

    private readonly object _gate = new();
    private readonly HashSet<int> _registered = [];
    private int _writeFd;

    private OrphanGuard(int writeFd, int watchdogPid)
    {
        _writeFd = writeFd;
        WatchdogPid = watchdogPid;
    }

    /// <summary>The watchdog's pid.</summary>
    public int WatchdogPid { get; }

    /// <summary>Starts the watchdog; returns null and a reason when it cannot run here.</summary>
    public static (OrphanGuard? Guard, string? Problem) Start()
    {
        int readFd, writeFd;
        try
        {
            (readFd, writeFd) = Pipe.CreateBlocking();
        }
        catch (PosixException e)
        {
            return (null, e.Message);
        }
        try
        {
            int pid = Spawner.SpawnInNewSession("/bin/sh", ["/bin/sh", "-c", Script, "drover-orphan-guard"],
                ["PATH=/usr/local/bin:/usr/bin:/bin"], "/", outputFd: -1, inputFd: readFd);
            return (new OrphanGuard(writeFd, pid), null);
        }
        catch (PosixException e)
        {
            Libc.close(writeFd);
            return (null, e.Message);
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

    // Called under _gate.
    private unsafe void Send(string line)
    {
        if (_writeFd < 0)
        {
            return;
        }
        byte[] bytes = Encoding.ASCII.GetBytes(line);
        fixed (byte* p = bytes)
        {
            // Short lines into a pipe are written whole (PIPE_BUF); a dead watchdog just disables the guard.
            if (Libc.write(_writeFd, p, bytes.Length) != bytes.Length)
            {
                Libc.close(_writeFd);
                _writeFd = -1;
            }
        }
    }

    /// <summary>
    /// Closes the pipe: the watchdog exits, killing whatever is still registered and alive. Groups that have
    /// emptied but whose end was not reported yet are deregistered first, so a normal exit signals nothing.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (int pgid in _registered.Where(g => !Reaper.GroupAlive(g)).ToList())
            {
                _registered.Remove(pgid);
                Send($"-{pgid}\n");
            }
            if (_writeFd >= 0)
            {
                Libc.close(_writeFd);
                _writeFd = -1;
            }
        }
    }
}
