using System.Threading.Channels;

namespace Drover.Core.Supervision.Events;

/// <summary>
/// The formation's state at the moment of subscribing, and every change after it, with nothing missed or
/// repeated in between (both are taken on the supervisor's loop). Changes queue up to a bound: a subscriber that
/// falls further behind is dropped, its <see cref="Changes"/> ending with <see cref="SubscriberTooSlowException"/>;
/// the supervisor never waits for it. <see cref="Changes"/> completes normally when the formation is over.
/// </summary>
public sealed class ChangeSubscription : IDisposable
{
    private readonly Channel<SupervisorChange> _queue;
    private readonly ChangeBroadcaster _owner;
    private readonly int _capacity;

    internal ChangeSubscription(ChangeBroadcaster owner, IReadOnlyList<InstanceSnapshot> snapshot, FormationPhase phase, long published, int capacity)
    {
        PublishedBefore = published;
        _owner = owner;
        _capacity = capacity;
        Snapshot = snapshot;
        Phase = phase;
        _queue = Channel.CreateBounded<SupervisorChange>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Every instance, in formation order, when the subscription began.</summary>
    public IReadOnlyList<InstanceSnapshot> Snapshot { get; }

    /// <summary>The formation's phase when the subscription began.</summary>
    public FormationPhase Phase { get; }

    /// <summary>How many changes the supervisor had published when the snapshot was taken.</summary>
    internal long PublishedBefore { get; }

    /// <summary>The changes since <see cref="Snapshot"/>, in order.</summary>
    public ChannelReader<SupervisorChange> Changes => _queue.Reader;

    /// <summary>Queues <paramref name="change"/>; false (and the subscription ended) when the queue is full.</summary>
    internal bool Offer(SupervisorChange change)
    {
        if (_queue.Writer.TryWrite(change))
        {
            return true;
        }
        _queue.Writer.TryComplete(new SubscriberTooSlowException(_capacity));
        return false;
    }

    /// <summary>Ends <see cref="Changes"/> after what is queued: the formation is over.</summary>
    internal void Complete() => _queue.Writer.TryComplete();

    /// <summary>Stops receiving changes.</summary>
    public void Dispose()
    {
        _owner.Remove(this);
        _queue.Writer.TryComplete();
    }
}
