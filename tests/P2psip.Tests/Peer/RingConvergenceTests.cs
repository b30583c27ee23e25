using P2psip.Messages;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.Simulation;

namespace P2psip.Tests.Peer;

/// <summary>Simulated rings (§10.5 joins over in-memory links, virtual time, one seed) converge and route correctly.</summary>
public class RingConvergenceTests
{
    internal static SimulatedRing Ring(int peers, int seed, bool signatures = false, params string[] disabled)
    {
        var ring = new SimulatedRing(seed, signatures, disabled);
        ring.Build(peers);
        ring.Stabilize();
        return ring;
    }

    internal static void AssertConverged(SimulatedRing ring)
    {
        int live = ring.Live.Count();
        var (succ, pred) = ring.CountCorrectNeighbours();
        Assert.Equal(live, succ);
        Assert.Equal(live, pred);
    }

    [Fact]
    public void ARingOf100PeersConvergesAndEveryLookupSucceeds()
    {
        var ring = Ring(100, seed: 7);
        Assert.Equal(100, ring.Live.Count());
        AssertConverged(ring);
        // Every peer keeps three predecessors and three successors (§10.7) and has fingers.
        Assert.All(ring.Live, p =>
        {
            var s = p.Snapshot();
            Assert.Equal(3, s.Successors.Count);
            Assert.Equal(3, s.Predecessors.Count);
            Assert.NotEmpty(s.Fingers);
        });
        var lookups = ring.Lookups(500);
        Assert.Equal(1.0, lookups.SuccessRate);
        Assert.InRange(lookups.MeanHops, 1, Math.Log2(100) + 1);
    }

    [Trait("Category", TestCategory.Long)]
    [Fact]
    public void ALargeRingConvergesAndEveryLookupSucceeds()
    {
        // 1000 peers; 300 in the ci profile.
        int peers = TestProfile.Pick(full: 1000, ci: 300);
        var ring = Ring(peers, seed: 11);
        AssertConverged(ring);
        var lookups = ring.Lookups(1000);
        Assert.Equal(1.0, lookups.SuccessRate);
        // Chord's expectation is about ½·log2 N finger hops (plus the last step to the successor).
        Assert.InRange(lookups.MeanHops, 0.5 * Math.Log2(peers) - 1, 0.5 * Math.Log2(peers) + 2);
    }

    [Fact]
    public void ASignedRingConverges()
    {
        // ECDSA P-256 identities: every message signed by its sender and verified at its destination.
        var ring = Ring(8, seed: 3, signatures: true);
        AssertConverged(ring);
        Assert.Equal(1.0, ring.Lookups(50).SuccessRate);
        Assert.All(ring.Live, p => Assert.False(p.Transport.Drops.ContainsKey("bad signature")));
    }

    [Fact]
    public void TheSameSeedBuildsTheSameRing()
    {
        var a = Ring(30, seed: 5);
        var b = Ring(30, seed: 5);
        Assert.Equal(a.Peers.Select(p => p.Snapshot().ToString()), b.Peers.Select(p => p.Snapshot().ToString()));
        Assert.Equal(a.Network.MessagesDelivered, b.Network.MessagesDelivered);
    }

    [Fact]
    public void ALeavingPeerIsRemovedFromEveryTable()
    {
        var ring = Ring(20, seed: 13);
        var leaving = ring.Live.ElementAt(4);
        bool left = false;
        leaving.Leave(() => left = true);
        ring.RunQuiet();
        Assert.True(left);
        Assert.Equal(PeerState.Stopped, leaving.State);
        AssertConverged(ring);
        Assert.All(ring.Live, p =>
        {
            var s = p.Snapshot();
            Assert.DoesNotContain(leaving.NodeId, s.Predecessors.Concat(s.Successors).Concat(s.Fingers));
        });
        Assert.Equal(1.0, ring.Lookups(200).SuccessRate);
    }

    [Fact]
    public void TheFailureOfNeighboursIsRepaired()
    {
        var ring = Ring(30, seed: 17);
        // Two adjacent peers crash at once (§10.7.1: several successors guard against this).
        var sorted = ring.SortedLive();
        var victims = ring.Live.Where(p => p.Self == sorted[10] || p.Self == sorted[11]).ToList();
        foreach (var v in victims) v.Crash();
        ring.RunQuiet();
        AssertConverged(ring);
        Assert.All(ring.Live, p =>
        {
            var s = p.Snapshot();
            Assert.Equal(3, s.Successors.Count);
            foreach (var v in victims) Assert.DoesNotContain(v.NodeId, s.Predecessors.Concat(s.Successors).Concat(s.Fingers));
        });
        Assert.Equal(1.0, ring.Lookups(300).SuccessRate);
    }

    [Fact]
    public void APeerJoinsAfterTheRingIsBuilt()
    {
        var ring = Ring(20, seed: 19);
        var late = ring.JoinOne();
        Assert.Equal(PeerState.Joined, late.State);
        AssertConverged(ring);
        // Its predecessor's range now ends before it: it answers for its own Node-ID.
        var outcome = Send(ring, ring.Live.First(p => p != late), new ResourceDestination(late.NodeId), new Messages.Link.PingReq(P2psip.Wire.Opaque.Empty));
        Assert.Equal(late.NodeId, outcome.Responder);
    }

    internal static P2psip.Peer.Transport.RequestOutcome Send(SimulatedRing ring, ReferencePeer from, Destination to, MessageBody body)
    {
        P2psip.Peer.Transport.RequestOutcome? result = null;
        from.Send(to, body, o => result = o);
        ring.RunQuiet();
        Assert.NotNull(result);
        return result!;
    }

    [Fact]
    public void RouteQueryNamesTheNextHopAndProbeReportsTheResponsibleShare()
    {
        var ring = Ring(20, seed: 23);
        var a = ring.Live.First();
        var target = ring.Live.Last();
        var asked = RingId.From(a.Snapshot().Successors[0]);
        var query = Send(ring, a, new NodeDestination(asked.ToOpaque()), new Messages.Topology.RouteQueryReq(false, new NodeDestination(target.NodeId)));
        var answer = Assert.IsType<Messages.Topology.RouteQueryAns>(query.Body);
        Assert.Equal(16, answer.Answer.NextPeer.Length);
        var probe = Send(ring, a, new NodeDestination(target.NodeId), new Messages.Topology.ProbeReq([Messages.Topology.ProbeInformationType.ResponsibleSet]));
        var info = Assert.IsType<Messages.Topology.ProbeAns>(probe.Body);
        var share = Assert.IsType<Messages.Topology.ResponsibleSetInformation>(Assert.Single(info.ProbeInfo));
        Assert.InRange(share.ResponsiblePpb, 1u, 1_000_000_000u);
    }
}
