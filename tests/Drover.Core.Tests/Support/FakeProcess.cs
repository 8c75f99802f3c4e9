using System.Text;
using Drover.Core.Output;
using Drover.Core.Supervision;

namespace Drover.Core.Tests.Support;

/// <summary>
/// A process that exists only in the test. Its group is "alive" until it ends; signals sent while it is alive are
/// recorded and change nothing: the test decides when and how the process exits.
/// </summary>
internal sealed class FakeProcess : IRunningProcess
{
    // Continuations run synchronously on the completing (test) thread, so the supervisor learns of an exit
    // before it learns that the group is gone, as with a real process.
    private readonly TaskCompletionSource<ExitStatus> _exited = new();
    private readonly TaskCompletionSource _groupGone = new();
    private readonly object _gate = new();
    private readonly List<int> _signals = [];
    private readonly List<int> _attempts = [];
    private bool _groupAlive = true;

    public FakeProcess(ProcessSpec spec, IOutputSink output, int pid)
    {
        Spec = spec;
        Output = output;
        Pid = pid;
    }

    /// <summary>What the supervisor asked to run.</summary>
    public ProcessSpec Spec { get; }

    /// <summary>Where the process's output goes.</summary>
    public IOutputSink Output { get; }

    /// <inheritdoc />
    public int Pid { get; }

    /// <inheritdoc />
    public Task<ExitStatus> Exited => _exited.Task;

    /// <inheritdoc />
    public Task GroupGone => _groupGone.Task;

    /// <summary>The signals the group received (sent while it was alive), in order.</summary>
    public IReadOnlyList<int> Signals
    {
        get
        {
            lock (_gate)
            {
                return [.. _signals];
            }
        }
    }

    /// <summary>Every signal the supervisor tried to send, including those to a group already gone.</summary>
    public IReadOnlyList<int> SignalAttempts
    {
        get
        {
            lock (_gate)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>True once the group received <paramref name="signal"/>.</summary>
    public bool Received(int signal) => Signals.Contains(signal);

    /// <inheritdoc />
    public bool Terminate() => SignalGroup(Drover.Core.Supervision.Signals.Term);

    /// <inheritdoc />
    public bool Kill() => SignalGroup(Drover.Core.Supervision.Signals.Kill);

    /// <inheritdoc />
    public bool Signal(StopSignal signal) => SignalGroup(StopSignals.Number(signal));

    /// <summary>Records <paramref name="signal"/>; false when the group is already gone.</summary>
    public bool SignalGroup(int signal)
    {
        lock (_gate)
        {
            _attempts.Add(signal);
            if (!_groupAlive)
            {
                return false;
            }
            _signals.Add(signal);
            return true;
        }
    }

    /// <summary>The process writes <paramref name="text"/> (UTF-8) to its output; returns the sink's answer.</summary>
    public bool Write(string text) => Output.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>The process writes raw bytes to its output.</summary>
    public bool Write(ReadOnlySpan<byte> bytes) => Output.Write(bytes);

    /// <summary>The last writer of the output pipe closed it.</summary>
    public void CloseOutput() => Output.Complete();

    /// <summary>The leader ends with <paramref name="status"/> and nothing is left in its group.</summary>
    public void Exit(ExitStatus status)
    {
        MarkGroupDead();
        _exited.SetResult(status);
        _groupGone.SetResult();
    }

    /// <summary>The leader ends with <paramref name="status"/>, leaving processes it started in its group.</summary>
    public void ExitLeavingGroup(ExitStatus status) => _exited.SetResult(status);

    /// <summary>The last process left in the group is gone.</summary>
    public void EndGroup()
    {
        MarkGroupDead();
        _groupGone.SetResult();
    }

    /// <summary>Whatever is left of the process disappears at once (clean-up after a failed test).</summary>
    public void Vanish()
    {
        MarkGroupDead();
        _exited.TrySetResult(ExitStatus.Killed(global::Drover.Core.Supervision.Signals.Kill));
        _groupGone.TrySetResult();
    }

    private void MarkGroupDead()
    {
        lock (_gate)
        {
            _groupAlive = false;
        }
    }
}
