using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// What the engine asks the overlay about a Resource-ID; the topology plug-in answers (§7.4.1.1,
/// §10.4). The engine itself knows nothing of the ring.
/// </summary>
public interface IStorageResponsibility
{
    /// <summary>Whether this peer is responsible for <paramref name="resourceId"/> (original stores and Find need it, §7.4.1.1, §7.4.4.2).</summary>
    bool IsResponsibleFor(Opaque resourceId);

    /// <summary>
    /// Whether a replica Store (replica_number &gt; 0) for <paramref name="resourceId"/> from
    /// <paramref name="senderNodeId"/> is plausible: in CHORD-RELOAD it must come from an
    /// appropriate predecessor, responsible for the Resource-ID (§10.4), or from a node in the
    /// replica set (§7.4.1.1).
    /// </summary>
    bool AcceptsReplicaFrom(Opaque resourceId, Opaque senderNodeId);

    /// <summary>The peers this peer will replicate <paramref name="resourceId"/> to, for StoreKindResponse.replicas (§7.4.1.2).</summary>
    ValueList<Opaque> ReplicasFor(Opaque resourceId);
}

/// <summary>A responsibility that accepts everything and names no replicas: a lone peer, and the unit tests.</summary>
public sealed class ResponsibleForEverything : IStorageResponsibility
{
    public static ResponsibleForEverything Instance { get; } = new();
    public bool IsResponsibleFor(Opaque resourceId) => true;
    public bool AcceptsReplicaFrom(Opaque resourceId, Opaque senderNodeId) => true;
    public ValueList<Opaque> ReplicasFor(Opaque resourceId) => ValueList<Opaque>.Empty;
}
