namespace P2psip.Links;

/// <summary>What a listener dropped at its bounds (<see cref="LinkLimits"/>, DTLS's source cap), counted so tests and reports can see it.</summary>
public sealed class ListenerCounters
{
    private long _handshakesTimedOut, _handshakesOverCap, _acceptQueueDrops, _sourcesOverCap;

    /// <summary>Handshakes closed because they did not finish within the handshake timeout.</summary>
    public long HandshakesTimedOut => Interlocked.Read(ref _handshakesTimedOut);
    /// <summary>TLS: connections closed at once; DTLS: datagrams from a source not admitted; because the concurrent-handshake cap was reached.</summary>
    public long HandshakesOverCap => Interlocked.Read(ref _handshakesOverCap);
    /// <summary>Finished links (or refusals) dropped because the accepted queue was full.</summary>
    public long AcceptQueueDrops => Interlocked.Read(ref _acceptQueueDrops);
    /// <summary>DTLS: datagrams from a new source dropped because the per-source state cap was reached.</summary>
    public long SourcesOverCap => Interlocked.Read(ref _sourcesOverCap);

    internal void HandshakeTimedOut() => Interlocked.Increment(ref _handshakesTimedOut);
    internal void HandshakeOverCap() => Interlocked.Increment(ref _handshakesOverCap);
    internal void AcceptQueueDrop() => Interlocked.Increment(ref _acceptQueueDrops);
    internal void SourceOverCap() => Interlocked.Increment(ref _sourcesOverCap);
}
