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
        // Walks the tables in place (this runs for every message forwarded); duplicates are harmless.
        var best = new Best(Self, k);
        foreach (var n in Neighbors.Predecessors) if (best.Consider(n, usable)) return n;
        foreach (var n in Neighbors.Successors) if (best.Consider(n, usable)) return n;
        // Neighbouring entries mostly hold the same peer; a repeat changes nothing, so only changes are considered.
        RingId? previous = null;
        for (int i = 1; i <= Fingers.Size; i++)
        {
            if (Fingers[i] is not { } f || f == previous) continue;
            previous = f;
            if (best.Consider(f, usable)) return f;
        }
        return best.Preceding ?? best.Following;
    }

    private struct Best(RingId self, RingId k)
    {
        private UInt128 _preceding = UInt128.MaxValue, _following = UInt128.MaxValue;
        public RingId? Preceding, Following;

        /// <summary>Takes n into account; true when n is k itself (route straight there).</summary>
        public bool Consider(RingId n, Func<RingId, bool> usable)
        {
            // Whether n is usable is asked only when n would be chosen (a Connection Table look-up each).
            if (n == k) return usable(n);
            if (RingId.InOpen(n, self, k))
            {
                var d = n.DistanceTo(k);
                if (d < _preceding && usable(n)) { _preceding = d; Preceding = n; }
            }
            else
            {
                var d = k.DistanceTo(n);
                if (d < _following && usable(n)) { _following = d; Following = n; }
            }
            return false;
        }
    }
}
