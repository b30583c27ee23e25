using P2psip.Messages.Chord;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Peer.Chord;
using P2psip.Peer.Lookup;
using P2psip.Wire;

namespace P2psip.Tests.Peer;

/// <summary>
/// The bookkeeping of a redundant lookup's answers and waits: when two replicas' answers agree
/// (the lookup then settles; otherwise it asks the third, §10.4, §7.4.1.1), and a walk that gave up
/// waiting for an Update leaves the peer's waiting list (§6.4.2.4 send_update).
/// </summary>
public class RedundantLookupAnswersTests
{
    private static StoredData Value(ulong storageTime, string text) =>
        new(storageTime, 3600, new SingleValueEntry(new DataValue(true, Opaque.Utf8(text))), Signature.Unsigned);

    private static FetchAns Answer(params StoredData[] values) => new([new FetchKindResponse(KindRegistry.SipRegistration, 1, values)]);

    [Fact]
    public void AnswersWithTheSameEntriesAndStorageTimesAgree() =>
        Assert.True(RedundantLookup.Agree([Answer(Value(5, "a")), Answer(Value(5, "a"))]));

    [Fact]
    public void AStaleReplicaDisagreesWithTheResponsiblePeer() =>
        Assert.False(RedundantLookup.Agree([Answer(Value(9, "new")), Answer(Value(5, "old"))]));

    [Fact]
    public void AReplicaWithoutTheValueDisagreesWithOneThatHasIt() =>
        Assert.False(RedundantLookup.Agree([Answer(Value(9, "new")), Answer()]));

    [Fact]
    public void TwoEmptyAnswersAgree() =>
        Assert.True(RedundantLookup.Agree([Answer(), Answer()]));

    [Fact]
    public void AWalkThatStopsWaitingLeavesTheWaitingList()
    {
        var links = new LookupLinks();
        var node = RingId.From(new byte[RingId.Bytes]);
        int heard = 0;
        Action<ChordUpdate> waiter = _ => heard++;
        links.AwaitUpdate(node, waiter);
        Assert.Equal(1, links.Awaited);
        links.StopAwaiting(node, waiter);
        Assert.Equal(0, links.Awaited);
        Assert.False(links.Heard(node, new NeighborsUpdate(0, new ValueList<Opaque>([]), new ValueList<Opaque>([]))));
        Assert.Equal(0, heard);
    }
}
