using Drover.Core.Output;
using Drover.Core.Supervision;

namespace Drover.Core.Tests.Support;

/// <summary>
/// An <see cref="IProcessLauncher"/> that starts nothing: each start records a <see cref="FakeProcess"/> that the
/// test drives (output, exit, group gone). Thread-safe: the supervisor starts processes on its loop while the
/// test reads them.
/// </summary>
internal sealed class FakeLauncher : IProcessLauncher
{
    /// <summary>The pid of the first process; each start takes the next one.</summary>
    public const int FirstPid = 1000;

    private readonly object _gate = new();
    private readonly List<FakeProcess> _started = [];
    private readonly List<(string? Name, string Message)> _failures = [];
    private int _nextPid = FirstPid;
    private int _failedStarts;

    /// <summary>Every process started so far, in start order.</summary>
    public IReadOnlyList<FakeProcess> Started
    {
        get
        {
            lock (_gate)
            {
                return [.. _started];
            }
        }
    }

    /// <summary>How many starts threw <see cref="LaunchException"/>.</summary>
    public int FailedStarts
    {
        get
        {
            lock (_gate)
            {
                return _failedStarts;
            }
        }
    }

    /// <summary>The processes started for the instance called <paramref name="name"/>, oldest first.</summary>
    public IReadOnlyList<FakeProcess> StartsOf(string name) => [.. Started.Where(p => p.Spec.Name == name)];

    /// <summary>The newest process of <paramref name="name"/>; fails the test when there is none.</summary>
    public FakeProcess Latest(string name)
    {
        var starts = StartsOf(name);
        return starts.Count > 0 ? starts[^1] : throw new InvalidOperationException($"{name} was never started");
    }

    /// <summary>
    /// Makes the next start (of the instance <paramref name="name"/>, or of any instance) throw
    /// <see cref="LaunchException"/> with <paramref name="message"/>. Calls add up: two calls fail two starts.
    /// </summary>
    public void FailNextStart(string message, string? name = null)
    {
        lock (_gate)
        {
            _failures.Add((name, message));
        }
    }

    /// <inheritdoc />
    public IRunningProcess Start(ProcessSpec spec, IOutputSink output, Action<int> spawned)
    {
        int pid;
        lock (_gate)
        {
            int failure = _failures.FindIndex(f => f.Name is null || f.Name == spec.Name);
            if (failure >= 0)
            {
                string message = _failures[failure].Message;
                _failures.RemoveAt(failure);
                _failedStarts++;
                throw new LaunchException(message);
            }
            pid = _nextPid++;
        }
        var process = new FakeProcess(spec, output, pid);
        // As the real launcher does: "started" is announced before the process can produce output. The process
        // is published only afterwards, so a test that sees it also sees that message queued first.
        spawned(pid);
        lock (_gate)
        {
            _started.Add(process);
        }
        return process;
    }
}
