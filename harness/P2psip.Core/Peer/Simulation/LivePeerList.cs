namespace P2psip.Peer.Simulation;

/// <summary>
/// The joined peers of a simulated ring, in the order they were created, kept up to date by the
/// peers' state changes: a join picks its bootstrap peer from this list without scanning every
/// peer of the ring (that scan made building a ring quadratic in its size). It always lists what
/// filtering all peers on <see cref="PeerState.Joined"/> would, in the same order.
/// </summary>
internal sealed class LivePeerList
{
    private readonly List<int> _order = [];
    private readonly List<ReferencePeer> _peers = [];
    private int _created;

    public IReadOnlyList<ReferencePeer> Peers => _peers;

    /// <summary>Follows a newly created peer (peers must be tracked in the order they are created).</summary>
    public void Track(ReferencePeer peer)
    {
        int index = _created++;
        peer.StateChanged += () => Update(peer, index);
        Update(peer, index);
    }

    private void Update(ReferencePeer peer, int index)
    {
        int at = _order.BinarySearch(index);
        bool listed = at >= 0;
        bool live = peer.State == PeerState.Joined;
        if (live == listed) return;
        if (live)
        {
            _order.Insert(~at, index);
            _peers.Insert(~at, peer);
        }
        else
        {
            _order.RemoveAt(at);
            _peers.RemoveAt(at);
        }
    }
}
