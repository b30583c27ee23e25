using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Tests.Peer;

/// <summary>
/// A test double for the storage layer: it answers store_req with an empty store_ans (fetch_req with an empty fetch_ans), records
/// every request with its context, and hands over one marker Store per handover request, so the
/// tests can see what the peer core asks of storage and when.
/// </summary>
internal sealed class RecordingStorageDouble(Opaque nodeId) : IStorageHandler
{
    public Opaque NodeId { get; } = nodeId;
    public List<(MessageBody Request, RequestContext Context)> Requests { get; } = [];
    public List<ResourceRange> Handovers { get; } = [];
    public List<ResourceRange> Ranges { get; } = [];

    public bool Handles(ushort messageCode) => messageCode is MessageCodes.StoreReq or MessageCodes.FetchReq;

    public MessageBody Handle(MessageBody request, RequestContext context)
    {
        Requests.Add((request, context));
        return request.Code == MessageCodes.StoreReq ? new StoreAns([]) : new FetchAns([]);
    }

    public IEnumerable<MessageBody> HandoverRequests(ResourceRange range)
    {
        Handovers.Add(range);
        // A marker Store whose resource names the range handed over.
        yield return new StoreReq(Opaque.Utf8($"handover {range}"), 1, []);
    }

    public void ResponsibilityChanged(ResourceRange responsible, ResourceRange replicaRange) => Ranges.Add(responsible);

    public int ResourceCount => Requests.Count;
}
