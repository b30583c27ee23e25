namespace P2psip.Links;

/// <summary>What one link dropped at its bounds (<see cref="LinkLimits"/>), counted rather than queued.</summary>
public sealed class LinkCounters
{
    private long _received, _inboxDrops, _arrivalDrops, _oversizeFrames;

    /// <summary>Whole messages read off the wire (before the pipeline).</summary>
    public long Received => Interlocked.Read(ref _received);
    /// <summary>Messages dropped because the owner's inbox was full (<see cref="LinkLimits.InboxCapacity"/>).</summary>
    public long InboxDrops => Interlocked.Read(ref _inboxDrops);
    /// <summary>DTLS: messages dropped because the queue from the receive thread to the pipeline was full.</summary>
    public long ArrivalDrops => Interlocked.Read(ref _arrivalDrops);
    /// <summary>Framed streams: DATA frames longer than max-message-size, skipped unread and unacknowledged.</summary>
    public long OversizeFrames => Interlocked.Read(ref _oversizeFrames);

    internal void CountReceived() => Interlocked.Increment(ref _received);
    internal void InboxDrop() => Interlocked.Increment(ref _inboxDrops);
    internal void ArrivalDrop() => Interlocked.Increment(ref _arrivalDrops);
    internal void OversizeFrame() => Interlocked.Increment(ref _oversizeFrames);
}
