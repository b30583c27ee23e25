namespace P2psip.Peer.Chord;

/// <summary>
/// CHORD-RELOAD's routing decisions over the Neighbor and Finger Tables (§10.3): who is
/// responsible for an id and which peer of the Routing Table a message goes to next.
/// </summary>
public sealed class ChordRouting(NeighborTable neighbors, FingerTable fingers)
{
    public NeighborTable Neighbors { get; } = neighbors;
    public FingerTable Fingers { get; } = fingers;
    public RingId Self => Neighbors.Self;

    /// <summary>The Routing Table: the union of the Neighbor Table and the Finger Table (§10.3).</summary>
    public IEnumerable<RingId> RoutingTable => Neighbors.All.Concat(Fingers.Distinct).Distinct();

    /// <summary>k ∈ (first predecessor, self] (§10.1); a peer alone is responsible for everything.</summary>
    public bool IsResponsible(RingId k) => Neighbors.Responsible.Contains(k);

    /// <summary>
    /// The next hop towards k (§10.3): the peer of the Routing Table with the largest Node-ID in the
    /// interval (self, k); if there is none, the one with the smallest Node-ID greater than k. Only
    /// peers <paramref name="usable"/> says are reachable count. Null when the table is empty.
    /// </summary>
    public RingId? NextHop(RingId k, Func<RingId, bool> usable)
    {
        RingId? preceding = null, following = null;
        UInt128 bestPreceding = UInt128.MaxValue, bestFollowing = UInt128.MaxValue;
        foreach (var n in RoutingTable)
        {
            if (!usable(n)) continue;
            if (n == k) return n;
            if (RingId.InOpen(n, Self, k))
            {
                var d = n.DistanceTo(k);
                if (d < bestPreceding) { bestPreceding = d; preceding = n; }
            }
            else
            {
                var d = k.DistanceTo(n);
                if (d < bestFollowing) { bestFollowing = d; following = n; }
            }
        }
        return preceding ?? following;
    }
}
