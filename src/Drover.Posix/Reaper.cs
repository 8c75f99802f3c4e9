using System.Runtime.InteropServices;
using Drover.Core.Supervision;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Collects the exit status of Drover's children and notices when their process groups are empty.
/// Woken by SIGCHLD (through the runtime's <see cref="PosixSignalRegistration"/>, which leaves other
/// children of the runtime alone), so exits are seen at once rather than on a polling tick.
/// </summary>
/// <remarks>
/// With <c>reapOrphans</c> (Drover as a child subreaper) orphaned grandchildren are re-parented to Drover; they
/// are reaped here too, and their death is what tells us a lingering group has emptied. Without it
/// (tests, or a kernel that refuses), lingering groups are re-checked on a short timer instead.
/// </remarks>
internal sealed unsafe class Reaper : IDisposable
{
    private static readonly TimeSpan LingerPoll = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly bool _reapOrphans;
    private readonly Dictionary<int, Action<ExitStatus>> _children = [];
    private readonly Dictionary<int, TaskCompletionSource> _lingering = [];
    private readonly PosixSignalRegistration? _sigchld;
    private readonly Timer _lingerTimer;

    public Reaper(bool reapOrphans)
    {
        _reapOrphans = reapOrphans;
        _lingerTimer = new Timer(_ => Reap());
        try
        {
            _sigchld = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, ctx =>
            {
                ctx.Cancel = true;
                Reap();
            });
        }
        catch (PlatformNotSupportedException)
        {
            // Without SIGCHLD notification, poll: slower to notice, never wrong.
            _lingerTimer.Change(LingerPoll, LingerPoll);
        }
    }

    /// <summary>
    /// Runs <paramref name="spawn"/> and tracks the pid it returns, atomically with respect to reaping, so a
    /// child that dies at once is never mistaken for an orphan.
    /// </summary>
    public int Track(Func<int> spawn, Action<ExitStatus> onExit)
    {
        lock (_gate)
        {
            int pid = spawn();
            _children[pid] = onExit;
            return pid;
        }
    }

    /// <summary>The pids of the children started through <see cref="Track"/> and not reaped yet.</summary>
    public int[] TrackedPids()
    {
        lock (_gate)
        {
            return [.. _children.Keys];
        }
    }

    /// <summary>Completes when process group <paramref name="pgid"/> has no member left (its leader must already be reaped).</summary>
    public Task WhenGroupGone(int pgid)
    {
        lock (_gate)
        {
            if (!GroupAlive(pgid))
            {
                return Task.CompletedTask;
            }
            if (!_lingering.TryGetValue(pgid, out var tcs))
            {
                tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _lingering[pgid] = tcs;
                if (_sigchld is null || !_reapOrphans)
                {
                    _lingerTimer.Change(LingerPoll, LingerPoll);
                }
            }
            return tcs.Task;
        }
    }

    /// <summary>True while any process is in group <paramref name="pgid"/> (zombies included).</summary>
    public static bool GroupAlive(int pgid) =>
        Libc.kill(-pgid, 0) == 0 || Marshal.GetLastPInvokeError() != Libc.ESRCH;

    private void Reap()
    {
        var exits = new List<(Action<ExitStatus>, ExitStatus)>();
        var emptied = new List<TaskCompletionSource>();
        lock (_gate)
        {
            if (_reapOrphans)
            {
                ReapAny(exits);
            }
            else
            {
                ReapKnown(exits);
            }
            foreach (var (pgid, tcs) in _lingering.ToList())
            {
                if (!GroupAlive(pgid))
                {
                    _lingering.Remove(pgid);
                    emptied.Add(tcs);
                }
            }
            if (_lingering.Count == 0 && _sigchld is not null)
            {
                _lingerTimer.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }
        // Callbacks run outside the lock: they may spawn again.
        foreach (var (callback, status) in exits)
        {
            callback(status);
        }
        foreach (var tcs in emptied)
        {
            tcs.TrySetResult();
        }
    }

    private void ReapAny(List<(Action<ExitStatus>, ExitStatus)> exits)
    {
        while (true)
        {
            int status;
            int pid = Libc.waitpid(-1, &status, Libc.WNOHANG);
            if (pid <= 0)
            {
                if (pid < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR)
                {
                    continue;
                }
                return; // 0: none ready; ECHILD: no children at all.
            }
            if (_children.Remove(pid, out var callback))
            {
                exits.Add((callback, Decode(status)));
            }
        }
    }

    private void ReapKnown(List<(Action<ExitStatus>, ExitStatus)> exits)
    {
        foreach (int pid in _children.Keys.ToList())
        {
            int status;
            int r = Libc.waitpid(pid, &status, Libc.WNOHANG);
            if (r == pid)
            {
                exits.Add((_children[pid], Decode(status)));
                _children.Remove(pid);
            }
            else if (r < 0 && Marshal.GetLastPInvokeError() == Libc.ECHILD)
            {
                // Someone else reaped it (the runtime does when .NET is pid 1): the status is lost.
                exits.Add((_children[pid], ExitStatus.Killed(Signals.Kill)));
                _children.Remove(pid);
            }
        }
    }

    /// <summary>Decodes a wait status the way the W* macros do.</summary>
    internal static ExitStatus Decode(int status)
    {
        int low = status & 0x7f;
        return low == 0 ? ExitStatus.Exited((status >> 8) & 0xff) : ExitStatus.Killed(low);
    }

    public void Dispose()
    {
        _sigchld?.Dispose();
        _lingerTimer.Dispose();
    }
}
