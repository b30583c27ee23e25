using P2psip.Messages;
using P2psip.Peer.Chord;

namespace P2psip.Peer;

/// <summary>
/// The storage layer as the peer's core sees it (§7; replication §10.4, handover §10.5 step 6 and
/// §10.7.3). The core routes Store, Fetch, Stat and Find requests here once it has decided that
/// the message is for this peer and its signature is good, and asks for the requests that move
/// data when the ring changes. The implementation lives in Peer/Storage.
/// </summary>
public interface IStorageHandler
{
    /// <summary>Whether requests with this message code belong to storage (store_req, fetch_req, stat_req, find_req).</summary>
    bool Handles(ushort messageCode);

    /// <summary>
    /// Answers one request: the answer body, or an <see cref="ErrorResponse"/> (§6.3.3.1). May call
    /// <see cref="RequestContext.SendRequest"/> to replicate to the successors (§10.4).
    /// </summary>
    MessageBody Handle(MessageBody request, RequestContext context);

    /// <summary>
    /// Request bodies (Stores) that copy the values whose Resource-IDs lie in <paramref name="range"/>
    /// to another peer: to a joining peer that takes over the range (§10.5 step 6), to a new member
    /// of the replica set (§10.7.3), or to the successor before this peer leaves (§10.9).
    /// </summary>
    IEnumerable<MessageBody> HandoverRequests(ResourceRange range);

    /// <summary>
    /// Called when this peer's range of responsibility changes; <paramref name="replicaRange"/> is
    /// the range it should keep data for (its own and its two predecessors', §10.7.3), so values
    /// outside it may be dropped.
    /// </summary>
    void ResponsibilityChanged(ResourceRange responsible, ResourceRange replicaRange);

    /// <summary>How many resources are stored here (Probe's num_resources, §6.4.2.5.2).</summary>
    int ResourceCount { get; }

    /// <summary>
    /// The data models of the Kinds this storage knows (§7.4.1.1, §11.1): the peer decodes every
    /// message with them, so values of private Kinds read as the storage expects.
    /// </summary>
    Messages.Storage.KindRegistry Kinds => Messages.Storage.KindRegistry.Default;
}
