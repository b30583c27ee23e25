using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Peer;
using P2psip.Peer.Simulation;
using P2psip.Peer.Transport;
using P2psip.Tests.Peer;
using P2psip.Wire;

namespace P2psip.Tests.PeerDefects;

/// <summary>Issue 11, seam 4: each admission step records a typed observation (which step and defence, which message, why), in a bounded log.</summary>
public class ObservationTests
{
    [Fact]
    public void EachRefusalNamesItsStepItsDefenceAndTheMessage()
    {
        var ring = RingConvergenceTests.Ring(3, seed: 701, signatures: true);
        var a = ring.Live.First();
        // An identity of the ring's own CA: signed rings check signers against it.
        var bob = ring.Issue("bob@" + ring.Configuration.InstanceName, Security.TestPki.Shared.Bob.NodeId);
        var x = new RawNode(ring, bob.NodeId, bob);
        x.ConnectTo(a);
        // Unsigned: refused by the signature step.
        x.SendBytes(ReloadCodec.Encode(x.Request(31, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty))));
        // Signed, but with a TTL above initial-ttl.
        x.Send(x.Request(32, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty), ttl: 200));
        // Signed, with an older configuration sequence.
        x.Send(x.Request(33, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty), configurationSequence: 0xFFF0));
        ring.RunFor(TimeSpan.FromSeconds(1));

        var log = a.Transport.Observations;
        var signature = Assert.Single(log.Of(AdmissionStep.Signature));
        Assert.Equal(DefenceSwitches.MessageSignatures, signature.Defence);
        Assert.Equal(31UL, signature.TransactionId);
        Assert.Equal(MessageCodes.PingReq, signature.MessageCode);
        Assert.Equal(x.NodeId, signature.PreviousHop);

        var ttl = Assert.Single(log.Of(AdmissionStep.TtlCeiling));
        Assert.Equal((DefenceSwitches.Ttl, 32UL), (ttl.Defence, ttl.TransactionId));
        Assert.Contains("initial-ttl", ttl.Reason, StringComparison.Ordinal);

        var config = Assert.Single(log.OfDefence(DefenceSwitches.ConfigSequence));
        Assert.Equal((AdmissionStep.ConfigSequence, 33UL), (config.Step, config.TransactionId));
        // The counts behind Drops agree.
        Assert.Equal(1, a.Transport.Drops[AdmissionStep.Signature.Name]);
    }

    [Fact]
    public void TheLogIsBoundedAndTheCountsAreNot()
    {
        var ring = new SimulatedRing(703) { CustomizeOptions = o => o with { ObservationCapacity = 16 } };
        ring.Build(3);
        var a = ring.Live.First();
        var x = new RawNode(ring, a.Self.Add(UInt128.One << 127).ToOpaque()) { Keep = false };
        x.ConnectTo(a);
        for (int i = 0; i < 500; i++) x.SendBytes(new byte[] { 1, 2, 3, (byte)i });
        ring.RunFor(TimeSpan.FromSeconds(1));
        var log = a.Transport.Observations;
        Assert.Equal(16, log.Recent.Count);
        Assert.Equal(500, log.Count(AdmissionStep.Undecodable));
        Assert.True(log.Total >= 500);
        Assert.All(log.Recent, o => Assert.Equal(AdmissionStep.Undecodable, o.Step));
    }

    [Fact]
    public void EveryStepHasAUniqueNameAndAKnownDefence()
    {
        Assert.Equal(AdmissionStep.All.Count, AdmissionStep.All.Select(s => s.Name).Distinct().Count());
        Assert.All(AdmissionStep.All.Where(s => s.Defence is not null), s => Assert.Contains(DefenceSwitches.Catalogue, d => d.Name == s.Defence));
    }
}
