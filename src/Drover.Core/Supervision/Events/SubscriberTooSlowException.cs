namespace Drover.Core.Supervision.Events;

/// <summary>
/// Ends a subscription whose queue filled up: the supervisor never waits for a subscriber, so one that falls
/// behind is dropped. It subscribes again to get a fresh snapshot and carry on from there.
/// </summary>
public sealed class SubscriberTooSlowException(int capacity)
    : Exception($"the subscriber fell {capacity} changes behind and was dropped; subscribe again for a fresh snapshot");
