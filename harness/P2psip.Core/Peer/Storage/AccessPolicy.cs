namespace P2psip.Peer.Storage;

/// <summary>The access-control policies of §7.3 (the access-control element of a kind-block, §11.1).</summary>
public enum AccessPolicy
{
    /// <summary>A policy name this engine does not implement: every store of the Kind is refused.</summary>
    Unsupported,
    /// <summary>§7.3.1: the signer's user name hashes to the Resource-ID.</summary>
    UserMatch,
    /// <summary>§7.3.2: a Node-ID of the signer hashes to the Resource-ID.</summary>
    NodeMatch,
    /// <summary>§7.3.3: USER-MATCH, and the dictionary key is the signer's Node-ID.</summary>
    UserNodeMatch,
    /// <summary>§7.3.4: H(Node-ID || i) is the Resource-ID for some i up to max-node-multiple.</summary>
    NodeMultiple,
}
