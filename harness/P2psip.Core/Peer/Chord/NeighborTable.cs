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

    public IEnumerable<RingId> All => _predecessors.Concat(_successors).Distinct();

    /// <summary>The range this peer is responsible for: (first predecessor, self]; the whole ring when alone (§10.1).</summary>
    public ResourceRange Responsible => new(_predecessors.Count > 0 ? _predecessors[0] : Self, Self);

    /// <summary>
    /// The range of the replicas this peer holds: its own and its two predecessors' (§10.4, §10.7.3).
    /// </summary>
    public ResourceRange ReplicaRange => new(_predecessors.Count > 2 ? _predecessors[2] : Self, Self);

    /// <summary>Which of <paramref name="candidates"/> would enter the table if offered (the ones not already in it).</summary>
    public IReadOnlyList<RingId> WouldAdmit(IEnumerable<RingId> candidates)
    {
        var fresh = candidates.Where(c => c != Self && !Contains(c)).Distinct().ToList();
        if (fresh.Count == 0) return fresh;
        var (preds, succs) = Best(All.Concat(fresh));
        return fresh.Where(c => preds.Contains(c) || succs.Contains(c)).ToList();
    }

    /// <summary>Offers peers for the table; returns whether it changed.</summary>
    public bool Add(IEnumerable<RingId> candidates)
    {
        var (preds, succs) = Best(All.Concat(candidates));
        return Set(preds, succs);
    }

    /// <summary>Removes a peer; <paramref name="replacements"/> (the rest of the Routing Table) fill the gap (§10.7.1).</summary>
    public bool Remove(RingId id, IEnumerable<RingId> replacements)
    {
        if (!Contains(id)) return false;
        var (preds, succs) = Best(All.Where(x => x != id).Concat(replacements.Where(x => x != id)));
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

    private (List<RingId> Preds, List<RingId> Succs) Best(IEnumerable<RingId> pool)
    {
        var distinct = pool.Where(x => x != Self).Distinct().ToList();
        var succs = distinct.OrderBy(x => Self.DistanceTo(x)).Take(Size).ToList();
        var preds = distinct.OrderBy(x => x.DistanceTo(Self)).Take(Size).ToList();
        return (preds, succs);
    }
}
