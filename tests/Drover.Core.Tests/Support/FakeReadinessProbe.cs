using Drover.Core.Control;
using Drover.Core.Supervision;

namespace Drover.Core.Tests.Support;

/// <summary>A readiness probe the test answers: a pid is ready once the test says so.</summary>
internal sealed class FakeReadinessProbe : IReadinessProbe
{
    private readonly object _gate = new();
    private readonly HashSet<int> _ready = [];
    private readonly List<(int Pid, TaskCompletionSource Done)> _waiting = [];

    /// <summary>The pids whose readiness was waited for, in order.</summary>
    public List<int> WaitedFor { get; } = [];

    /// <summary>Marks the process <paramref name="pid"/> ready (now and from now on).</summary>
    public void Ready(int pid)
    {
        lock (_gate)
        {
            _ready.Add(pid);
            foreach (var (_, done) in _waiting.Where(w => w.Pid == pid))
            {
                done.TrySetResult();
            }
            _waiting.RemoveAll(w => w.Pid == pid);
        }
    }

    public Task<bool> IsReadyAsync(InstanceSnapshot instance, CancellationToken cancel)
    {
        lock (_gate)
        {
            return Task.FromResult(instance.Pid is int pid && _ready.Contains(pid));
        }
    }

    public Task WhenReadyAsync(InstanceSnapshot instance, CancellationToken cancel)
    {
        lock (_gate)
        {
            int pid = instance.Pid!.Value;
            WaitedFor.Add(pid);
            if (_ready.Contains(pid))
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((pid, done));
            return done.Task.WaitAsync(cancel);
        }
    }
}
