using P2psip.Peer.Chord;

namespace P2psip.Peer.Transport;

/// <summary>What the message transport asks the topology plug-in (§6.1, §10.3).</summary>
public interface IOverlayRouting
{
    /// <summary>Whether this peer is responsible for the id (§6.1.1); false while it is still joining.</summary>
    bool IsResponsible(RingId id);

    /// <summary>The connected peer a message for <paramref name="target"/> goes to next, or null if there is none.</summary>
    RingId? NextHop(RingId target);

    /// <summary>The Neighbor Table, for the response-origin check (§6.3.4).</summary>
    IEnumerable<RingId> Neighbors { get; }
}
