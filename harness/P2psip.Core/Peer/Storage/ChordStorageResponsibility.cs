using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// What CHORD-RELOAD says about storage responsibility (§10.4), from the peer's latest view of the
/// ring: responsible for (predecessor, self]; replica Stores accepted from neighbours for the
/// ranges that reach this peer as replicas — a predecessor replicating (§10.4), a successor handing
/// over a range at join (§10.5 step 6) or a leaving predecessor (§10.9); replicas named are the
/// first two successors.
/// </summary>
public sealed class ChordStorageResponsibility : IStorageResponsibility
{
    private readonly object _lock = new();
    private ResourceRange? _responsible;
    private IReadOnlyList<Opaque> _predecessors = [];
    private IReadOnlyList<Opaque> _successors = [];

    public void Update(ResourceRange responsible, IReadOnlyList<Opaque>? predecessors, IReadOnlyList<Opaque>? successors)
    {
        lock (_lock)
        {
            _responsible = responsible;
            if (predecessors is not null) _predecessors = predecessors;
            if (successors is not null) _successors = successors;
        }
    }

    public bool IsResponsibleFor(Opaque resourceId)
    {
        lock (_lock) return _responsible is not { } r || r.From == r.To || r.Contains(RingId.From(resourceId));
    }

    /// <summary>
    /// A replica Store is plausible from a neighbour, for a Resource-ID in (third predecessor, self]:
    /// its two predecessors replicate their ranges here (§10.4), a leaving predecessor hands over its
    /// range (§10.9), the admitting successor ours (§10.5 step 6). Nothing else arrives as a replica,
    /// so a neighbour cannot plant values anywhere else. With fewer than three distinct predecessors
    /// known (a small ring) every Resource-ID from a neighbour is plausible.
    /// </summary>
    public bool AcceptsReplicaFrom(Opaque resourceId, Opaque senderNodeId)
    {
        lock (_lock)
        {
            if (!_predecessors.Contains(senderNodeId) && !_successors.Contains(senderNodeId)) return false;
            if (_responsible is not { } range || range.From == range.To) return true;
            var self = range.To;
            var distinct = _predecessors.Select(RingId.From).Where(p => p != self).Distinct().ToList();
            if (distinct.Count < 3) return true;
            return new ResourceRange(distinct[2], self).Contains(RingId.From(resourceId));
        }
    }

    public ValueList<Opaque> ReplicasFor(Opaque resourceId)
    {
        lock (_lock) return new ValueList<Opaque>(_successors.Distinct().Take(2).ToArray());
    }
}
