using Drover.Core.Supervision;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>A child in its own process group. Its pid is its group id.</summary>
/// <param name="reaper">Reaps the child and tells when its group is empty.</param>
/// <param name="groupGone">Runs once the group is empty and before <see cref="GroupGone"/> completes, so whoever
/// waits for the group (the supervisor, and through it Drover's exit) sees its consequences done.</param>
internal sealed class PosixRunningProcess(Reaper reaper, Action<int>? groupGone) : IRunningProcess
{
    private readonly TaskCompletionSource<ExitStatus> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _groupGone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private ExitStatus? _earlyExit;
    private bool _armed;

    public int Pid { get; set; }

    public OutputPump.Source? Source { get; set; }

    public OutputPump? Pump { get; set; }

    public Task<ExitStatus> Exited => _exited.Task;

    public Task GroupGone => _groupGone.Task;

    public bool Terminate() => SignalGroup(Signals.Term);

    public bool Kill() => SignalGroup(Signals.Kill);

    public bool Signal(StopSignal signal) => SignalGroup(StopSignals.Number(signal));

    /// <summary>Sends <paramref name="signal"/> to every process in the group; false when the group is already empty.</summary>
    public bool SignalGroup(int signal)
    {
        if (_groupGone.Task.IsCompleted)
        {
            return false;
        }
        return Libc.kill(-Pid, signal) == 0;
    }

    /// <summary>Called once the pipe is registered; an exit reaped before that is handled now.</summary>
    public void Armed()
    {
        ExitStatus? early;
        lock (_gate)
        {
            _armed = true;
            early = _earlyExit;
        }
        if (early is ExitStatus s)
        {
            Finish(s);
        }
    }

    public void OnReaped(ExitStatus status)
    {
        lock (_gate)
        {
            if (!_armed)
            {
                _earlyExit = status;
                return;
            }
        }
        Finish(status);
    }

    private void Finish(ExitStatus status)
    {
        // Output written before the exit comes out before the exit is announced.
        Pump!.DrainThen(Source!, () =>
        {
            _exited.TrySetResult(status);
            reaper.WhenGroupGone(Pid).ContinueWith(
                _ =>
                {
                    groupGone?.Invoke(Pid);
                    _groupGone.TrySetResult();
                },
                TaskScheduler.Default);
        });
    }
}
