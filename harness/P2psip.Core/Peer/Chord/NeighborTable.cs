namespace P2psip.Peer.Chord;

/// <summary>
/// The Neighbor Table (§10.1, §10.7): the closest peers before and after this one on the ring,
/// closest first. A peer never enters itself (§10.7.3). In rings smaller than twice the table
/// size one peer can be both a predecessor and a successor.
/// </summary>
public sealed class NeighborTable(RingId self, int size)
{
    private List<RingId> _predecessors = [];
    private List<RingId> _successors = [];

    public RingId Self { get; } = self;
    public int Size { get; } = size;

    /// <summary>Predecessors, the closest (the one just before this peer) first.</summary>
    public IReadOnlyList<RingId> Predecessors => _predecessors;

    /// <summary>Successors, the closest first.</summary>
    public IReadOnlyList<RingId> Successors => _successors;

    public bool IsEmpty => _predecessors.Count == 0 && _successors.Count == 0;

    public bool Contains(RingId id) => _predecessors.Contains(id) || _successors.Contains(id);

    /// <summary>Predecessors then successors, each peer once (in that order).</summary>
    public IEnumerable<RingId> All => AllList();

    private List<RingId> AllList()
    {
        var all = new List<RingId>(_predecessors.Count + _successors.Count);
        AddDistinct(all, _predecessors);
        AddDistinct(all, _successors);
        return all;
    }

    /// <summary>Appends the ids not yet in <paramref name="to"/>, first occurrence first (what LINQ's Distinct keeps); the lists are short.</summary>
    private static void AddDistinct(List<RingId> to, List<RingId> ids)
    {
        foreach (var id in ids)
            if (!to.Contains(id)) to.Add(id);
    }

    /// <summary>The range this peer is responsible for: (first predecessor, self]; the whole ring when alone (§10.1).</summary>
    public ResourceRange Responsible => new(_predecessors.Count > 0 ? _predecessors[0] : Self, Self);

    /// <summary>
    /// The range of the replicas this peer holds: its own and its two predecessors' (§10.4, §10.7.3).
    /// </summary>
    public ResourceRange ReplicaRange => new(_predecessors.Count > 2 ? _predecessors[2] : Self, Self);

    /// <summary>Which of <paramref name="candidates"/> would enter the table if offered (the ones not already in it).</summary>
    public IReadOnlyList<RingId> WouldAdmit(IEnumerable<RingId> candidates)
    {
        var fresh = new List<RingId>();
        foreach (var c in candidates)
            if (c != Self && !Contains(c) && !fresh.Contains(c)) fresh.Add(c);
        if (fresh.Count == 0) return fresh;
        var pool = AllList();
        pool.AddRange(fresh);
        var (preds, succs) = Best(pool);
        var admitted = new List<RingId>(fresh.Count);
        foreach (var c in fresh)
            if (preds.Contains(c) || succs.Contains(c)) admitted.Add(c);
        return admitted;
    }

    /// <summary>Offers peers for the table; returns whether it changed.</summary>
    public bool Add(IEnumerable<RingId> candidates)
    {
        var pool = AllList();
        pool.AddRange(candidates);
        var (preds, succs) = Best(pool);
        return Set(preds, succs);
    }

    /// <summary>Removes a peer; <paramref name="replacements"/> (the rest of the Routing Table) fill the gap (§10.7.1).</summary>
    public bool Remove(RingId id, IEnumerable<RingId> replacements)
    {
        if (!Contains(id)) return false;
        var pool = AllList();
        pool.Remove(id);
        foreach (var r in replacements) if (r != id) pool.Add(r);
        var (preds, succs) = Best(pool);
        Set(preds, succs);
        return true;
    }

    private bool Set(List<RingId> preds, List<RingId> succs)
    {
        bool changed = !preds.SequenceEqual(_predecessors) || !succs.SequenceEqual(_successors);
        _predecessors = preds;
        _successors = succs;
        return changed;
    }

    /// <summary>
    /// The <see cref="Size"/> closest peers of the pool on either side. Distinct ids are at distinct
    /// distances from this peer, so sorting by distance has one result however it sorts.
    /// </summary>
    private (List<RingId> Preds, List<RingId> Succs) Best(List<RingId> pool)
    {
        var distinct = new List<RingId>(pool.Count);
        foreach (var x in pool)
            if (x != Self && !distinct.Contains(x)) distinct.Add(x);
        return (Closest(distinct, clockwise: false), Closest(distinct, clockwise: true));
    }

    /// <summary>The <see cref="Size"/> ids nearest to this peer going one way, nearest first (a selection: the pool is small).</summary>
    private List<RingId> Closest(List<RingId> distinct, bool clockwise)
    {
        int n = Math.Min(Size, distinct.Count);
        var chosen = new List<RingId>(n);
        UInt128 floor = 0;
        bool first = true;
        for (int k = 0; k < n; k++)
        {
            // The next nearest: the smallest distance above the previous one (distances are distinct).
            UInt128 best = UInt128.MaxValue;
            RingId bestId = default;
            bool found = false;
            foreach (var x in distinct)
            {
                var d = clockwise ? Self.DistanceTo(x) : x.DistanceTo(Self);
                if ((first || d > floor) && (!found || d < best)) { best = d; bestId = x; found = true; }
            }
            chosen.Add(bestId);
            floor = best;
            first = false;
        }
        return chosen;
    }
}
