using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.Simulation;
using P2psip.Wire;

namespace P2psip.Tests.Peer;

/// <summary>What the peer core asks of the storage layer: requests for its range, handover on join (§10.5), replicas (§10.7.3).</summary>
public class StorageHookTests
{
    private static (SimulatedRing Ring, Dictionary<Opaque, RecordingStorageDouble> Stores) Ring(int peers, int seed)
    {
        var stores = new Dictionary<Opaque, RecordingStorageDouble>();
        var ring = new SimulatedRing(seed, storageFactory: id => stores[id] = new RecordingStorageDouble(id));
        ring.Build(peers);
        return (ring, stores);
    }

    [Fact]
    public void AStoreReachesTheResponsiblePeersStorageWithItsContext()
    {
        var (ring, stores) = Ring(12, seed: 53);
        var a = ring.Live.First();
        var resource = a.Self.Add(UInt128.One << 127).ToOpaque();
        var outcome = RingConvergenceTests.Send(ring, a, new ResourceDestination(resource), new StoreReq(resource, 0, []));
        Assert.Equal(MessageCodes.StoreAns, outcome.Body.Code);
        var responsible = ring.TrueResponsible(RingId.From(resource));
        Assert.Equal(responsible.ToOpaque(), outcome.Responder);
        var (request, context) = Assert.Single(stores[responsible.ToOpaque()].Requests, r => r.Request.Code == MessageCodes.StoreReq && r.Context.TargetResourceId == resource);
        Assert.True(context.IsResponsible);
        Assert.Equal(a.NodeId, context.OriginNodeId);
        Assert.Equal(3, context.Successors.Count);
        Assert.True(context.ResponsibleRange.Contains(RingId.From(resource)));
    }

    [Fact]
    public void TheAdmittingPeerHandsTheJoiningPeerItsRange()
    {
        var (ring, stores) = Ring(10, seed: 59);
        var late = ring.JoinOne();
        var lateStore = stores[late.NodeId];
        var predecessor = RingId.From(late.Snapshot().Predecessors[0]);
        // §10.5 step 6: the admitting peer (its successor) sends Stores for (predecessor, joining peer].
        var successor = stores[late.Snapshot().Successors[0]];
        Assert.Contains(new ResourceRange(predecessor, late.Self), successor.Handovers);
        Assert.Contains(lateStore.Requests, r => r.Request is StoreReq s && System.Text.Encoding.UTF8.GetString(s.Resource.Span).StartsWith("handover", StringComparison.Ordinal));
        // It learns its responsible range once joined.
        Assert.Equal(new ResourceRange(predecessor, late.Self), lateStore.Ranges[^1]);
    }
}
