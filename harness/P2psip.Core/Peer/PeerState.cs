namespace P2psip.Peer;

/// <summary>Where a reference peer is in its life (§10.5, §10.9).</summary>
public enum PeerState
{
    Created,
    /// <summary>Attached to its admitting peer, not yet in the ring: it routes nothing and is responsible for nothing.</summary>
    Joining,
    /// <summary>Part of the ring.</summary>
    Joined,
    /// <summary>Left (or crashed); its links are closed.</summary>
    Stopped,
}
