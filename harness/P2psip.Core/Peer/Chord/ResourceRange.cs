namespace P2psip.Peer.Chord;

/// <summary>
/// The arc (From, To] of the ring, clockwise: the Resource-IDs a peer To with predecessor From is
/// responsible for (§10.1). From == To means the whole ring (a peer alone).
/// </summary>
public readonly record struct ResourceRange(RingId From, RingId To)
{
    public bool Contains(RingId id) => RingId.InHalfOpen(id, From, To);

    public override string ToString() => $"({From}, {To}]";
}
