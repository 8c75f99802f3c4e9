namespace Drover.Core.Supervision.Events;

/// <summary>
/// Hands each change to every subscription's own bounded queue. Publishing happens on the supervisor's loop and
/// never blocks; subscribing and unsubscribing may happen on any thread.
/// </summary>
internal sealed class ChangeBroadcaster
{
    private readonly object _gate = new();
    // Replaced, never changed in place, so Publish reads it without the lock.
    private ChangeSubscription[] _subscriptions = [];
    private bool _closed;

    public void Add(ChangeSubscription subscription)
    {
        lock (_gate)
        {
            if (_closed)
            {
                subscription.Complete();
                return;
            }
            _subscriptions = [.. _subscriptions, subscription];
        }
    }

    public void Remove(ChangeSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }

    public void Publish(SupervisorChange change)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (!subscription.Offer(change))
            {
                Remove(subscription);
            }
        }
    }

    /// <summary>The formation is over: every subscription ends after what it has queued.</summary>
    public void Close()
    {
        ChangeSubscription[] last;
        lock (_gate)
        {
            _closed = true;
            last = _subscriptions;
            _subscriptions = [];
        }
        foreach (var subscription in last)
        {
            subscription.Complete();
        }
    }
}
