namespace Drover.Core.Supervision.Events;

/// <summary>
/// A live copy of the formation's state, kept by a subscription to the supervisor's changes: readers get the
/// state without a trip through the supervisor's loop, and waiters are woken by the change they wait for, never
/// by a timer. Dropped for being slow, it subscribes again and starts from the fresh snapshot.
/// </summary>
public sealed class FormationView : IDisposable
{
    private readonly Supervisor _supervisor;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private readonly Task _following;
    // Guarded by _gate.
    private List<InstanceSnapshot> _instances = [];
    private FormationPhase _phase = FormationPhase.Running;
    private bool _over;
    private long _applied;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<SupervisorChange>[] _watchers = [];

    private FormationView(Supervisor supervisor)
    {
        _supervisor = supervisor;
        _following = FollowAsync();
    }

    /// <summary>Starts following <paramref name="supervisor"/> (its loop need not run yet).</summary>
    public static FormationView Follow(Supervisor supervisor) => new(supervisor);

    /// <summary>Every instance, in formation order, once the first snapshot has arrived.</summary>
    public async Task<IReadOnlyList<InstanceSnapshot>> CurrentAsync()
    {
        await _first.Task.ConfigureAwait(false);
        lock (_gate)
        {
            return _over
                ? throw new ControlException("the formation has stopped", ControlError.Conflict)
                : _instances;
        }
    }

    /// <summary>The formation's phase as last seen.</summary>
    public FormationPhase Phase
    {
        get
        {
            lock (_gate)
            {
                return _phase;
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> with every change from now on, on the view's own task (so it must be
    /// quick), and with a <see cref="Notice"/> whenever the view starts again from a fresh snapshot.
    /// </summary>
    public IDisposable Watch(Action<SupervisorChange> onChange)
    {
        lock (_gate)
        {
            _watchers = [.. _watchers, onChange];
        }
        return new Unwatch(this, onChange);
    }

    /// <summary>
    /// Completes with the first state for which <paramref name="done"/> is true (looked at now and after every
    /// change); throws <see cref="ControlException"/> when the formation ends first.
    /// </summary>
    public Task<IReadOnlyList<InstanceSnapshot>> WaitForAsync(Func<IReadOnlyList<InstanceSnapshot>, bool> done, CancellationToken cancel) =>
        WaitAsync(() => done(_instances), cancel);

    /// <summary>
    /// Completes once the view has applied every change the supervisor published before this call: after a
    /// control request, whoever reads the view sees its effects.
    /// </summary>
    public async Task CaughtUpAsync(CancellationToken cancel = default)
    {
        long target = await _supervisor.PublishedAsync().ConfigureAwait(false);
        await WaitAsync(() => _applied >= target, cancel).ConfigureAwait(false);
    }

    // `done` is called under the lock.
    private async Task<IReadOnlyList<InstanceSnapshot>> WaitAsync(Func<bool> done, CancellationToken cancel)
    {
        await _first.Task.WaitAsync(cancel).ConfigureAwait(false);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (done())
                {
                    return _instances;
                }
                if (_over)
                {
                    throw new ControlException("the formation has stopped", ControlError.Conflict);
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancel).ConfigureAwait(false);
        }
    }

    private async Task FollowAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                ChangeSubscription subscription;
                try
                {
                    subscription = await _supervisor.SubscribeAsync().ConfigureAwait(false);
                }
                catch (ControlException)
                {
                    return; // The formation is over.
                }
                using (subscription)
                {
                    Reset(subscription);
                    try
                    {
                        await foreach (var change in subscription.Changes.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                        {
                            Apply(change);
                        }
                        return;
                    }
                    catch (SubscriberTooSlowException)
                    {
                        // Fell behind (a flood of changes): start again from a fresh snapshot.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            lock (_gate)
            {
                _over = true;
            }
            _first.TrySetResult();
            Wake();
        }
    }

    private void Reset(ChangeSubscription subscription)
    {
        lock (_gate)
        {
            _instances = [.. subscription.Snapshot];
            _phase = subscription.Phase;
            _applied = subscription.PublishedBefore;
        }
        _first.TrySetResult();
        Tell(new Notice(DateTimeOffset.UtcNow, "formation view refreshed"));
    }

    private void Apply(SupervisorChange change)
    {
        lock (_gate)
        {
            _applied++;
            // Copied, never changed in place: a list handed out stays as it was.
            switch (change)
            {
                case InstanceChanged c:
                    var next = new List<InstanceSnapshot>(_instances);
                    int at = next.FindIndex(s => s.Name == c.Instance.Name);
                    if (at >= 0)
                    {
                        next[at] = c.Instance;
                    }
                    else
                    {
                        // Where the supervisor puts a new instance: after the last of its type.
                        int last = next.FindLastIndex(s => s.Type == c.Instance.Type);
                        next.Insert(last < 0 ? next.Count : last + 1, c.Instance);
                    }
                    _instances = next;
                    break;
                case InstanceRemoved r:
                    _instances = [.. _instances.Where(s => s.Name != r.Name)];
                    break;
                case PhaseChanged p:
                    _phase = p.To;
                    break;
            }
        }
        Tell(change);
    }

    private void Tell(SupervisorChange change)
    {
        Action<SupervisorChange>[] watchers;
        lock (_gate)
        {
            watchers = _watchers;
        }
        foreach (var watcher in watchers)
        {
            watcher(change);
        }
        Wake();
    }

    private void Wake()
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            woken = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        woken.TrySetResult();
    }

    /// <summary>Completes when the view stopped following (the formation is over, or it was disposed).</summary>
    public Task Following => _following;

    /// <summary>Stops following; waiters then fail with <see cref="ControlException"/>.</summary>
    public void Dispose() => _stop.Cancel();

    private sealed class Unwatch(FormationView view, Action<SupervisorChange> onChange) : IDisposable
    {
        public void Dispose()
        {
            lock (view._gate)
            {
                view._watchers = [.. view._watchers.Where(w => w != onChange)];
            }
        }
    }
}
