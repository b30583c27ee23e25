using P2psip.Peer.Chord;

namespace P2psip.Peer.Simulation;

/// <summary>
/// The simulator's bulk join (<c>--bulk-join</c>, issue 10 item 4): every peer is made at the
/// Node-ID the protocol path would give it (the seed's draws are taken in the same order, the
/// bootstrap choice included, so the lookups after it draw the same targets and origins too), gets
/// the tables a joined peer holds computed from the sorted ring (§10.1, §10.3: the
/// <see cref="ChordOptions.NeighborCount"/> closest peers either side, and for finger i the first
/// peer at or after self + 2^(128-i)), opens through the in-memory transport the links the Attaches
/// of its join would open (§6.5.1: to every entry of its Routing Table), and then the protocol
/// settles it: the Updates of join step 9 to every neighbour (§10.5, §10.7.3), with the storage
/// told its range and replica set (§10.4). The protocol path (<see cref="SimulatedRing.Build"/>)
/// stays the default and what the golden files pin.
/// </summary>
internal static class BulkJoin
{
    public static void Place(SimulatedRing ring, int count, Action<int>? progress)
    {
        if (ring.Peers.Count != 0) throw new InvalidOperationException("a bulk join places a whole ring: it starts from an empty one");
        var peers = new List<ReferencePeer>(count);
        for (int i = 0; i < count; i++)
        {
            // The protocol path draws the bootstrap peer among the i joined before each join (JoinOne).
            if (i > 0) ring.Random.Next(i);
            peers.Add(ring.CreatePeer());
        }
        var sorted = peers.Select(p => p.Self).ToArray();
        var bySelf = peers.ToDictionary(p => p.Self);
        Array.Sort(sorted);
        int placed = 0, step = Math.Max(1, count / 10);
        foreach (var peer in peers)
        {
            var (neighbors, fingers) = Tables(sorted, peer.Self, ring.Chord);
            peer.Chord.PlaceJoined(neighbors, fingers);
            if (++placed % step == 0) progress?.Invoke(placed);
        }
        // One link per pair of peers either of which has the other in its Routing Table, opened by the
        // one that has the other (both: the lower Node-ID, the link the Connection Table keeps, UN-5).
        foreach (var peer in peers)
            foreach (var id in peer.Chord.RoutingTable.ToList())
            {
                var other = bySelf[id];
                if (other.Chord.InRoutingTable(peer.Self) && other.Self.Value < peer.Self.Value) continue;
                peer.Chord.LinkPlaced(id, other.Address);
            }
        ring.Scheduler.RunUntilIdle(50_000_000);
        foreach (var peer in peers) peer.Chord.SettlePlaced();
        ring.RunQuiet();
    }

    /// <summary>A peer's Neighbor Table candidates and ideal fingers, from the ring's sorted Node-IDs.</summary>
    internal static (List<RingId> Neighbors, List<RingId> Fingers) Tables(RingId[] sorted, RingId self, ChordOptions chord)
    {
        int n = sorted.Length;
        int at = Array.BinarySearch(sorted, self);
        var neighbors = new List<RingId>(2 * chord.NeighborCount);
        for (int k = 1; k <= chord.NeighborCount && k < n; k++)
        {
            neighbors.Add(sorted[(at - k + n) % n]);
            neighbors.Add(sorted[(at + k) % n]);
        }
        var fingers = new List<RingId>(chord.FingerCount);
        if (n == 1) return (neighbors, fingers);
        for (int i = 1; i <= chord.FingerCount; i++)
        {
            // §10.1: the first peer at or after the finger's start; this peer itself does not count (FingerTable.Offer).
            var start = self.Add(RingId.FingerOffset(i));
            int j = Array.BinarySearch(sorted, start);
            if (j < 0) j = ~j;
            j %= n;
            if (sorted[j] == self) j = (j + 1) % n;
            fingers.Add(sorted[j]);
        }
        return (neighbors, fingers);
    }
}
