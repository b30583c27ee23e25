using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// What CHORD-RELOAD says about storage responsibility (§10.4), from the peer's latest view of the
/// ring: responsible for (predecessor, self]; replica Stores accepted from neighbours — a
/// predecessor replicating (§10.4), a successor handing over a range at join (§10.5 step 6) or a
/// leaving predecessor (§10.9); replicas named are the first two successors.
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

    public bool AcceptsReplicaFrom(Opaque resourceId, Opaque senderNodeId)
    {
        lock (_lock) return _predecessors.Contains(senderNodeId) || _successors.Contains(senderNodeId);
    }

    public ValueList<Opaque> ReplicasFor(Opaque resourceId)
    {
        lock (_lock) return new ValueList<Opaque>(_successors.Distinct().Take(2).ToArray());
    }
}
