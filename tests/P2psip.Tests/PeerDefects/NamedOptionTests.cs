using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Simulation;
using P2psip.Tests.Peer;
using P2psip.Wire;

namespace P2psip.Tests.PeerDefects;

/// <summary>Issue 11: the transport's fixed numbers are options with the RFC's defaults, and each option is obeyed.</summary>
public class NamedOptionTests
{
    [Fact]
    public void TheDefaultsAreTheRfcs()
    {
        var options = new PeerOptions { Configuration = new() { InstanceName = "x" }, NodeId = new byte[16] };
        Assert.Equal(TimeSpan.FromSeconds(15), options.RequestLifetime);   // §6.2.1
        Assert.Equal(5, options.MaxTransmissions);                         // §6.2.1
        Assert.Equal(20, options.TopologyRequestsPerSecond);
        Assert.Equal(40, options.TopologyRequestBurst);
    }

    [Fact]
    public void MaxTransmissionsBoundsTheRetransmissions()
    {
        var ring = new SimulatedRing(601) { CustomizeOptions = o => o with { MaxTransmissions = 2 } };
        ring.Build(3);
        var a = ring.Live.First();
        var nobody = a.Self.Add(UInt128.One << 126).Add(99).ToOpaque();
        int sent = 0;
        ring.Network.Intercept = (sender, _, bytes) =>
        {
            // Transmissions by a itself: a forwarded copy would carry a Via List.
            if (sender == a.NodeId && ReloadCodec.DecodeCopy(bytes.Span) is { IsSuccess: true } d && d.Value.Body is PingReq && d.Value.Header.ViaList.Count == 0) sent++;
            return bytes;
        };
        var outcome = RingConvergenceTests.Send(ring, a, new NodeDestination(nobody), new PingReq(Opaque.Empty));
        Assert.Equal(ErrorCodes.RequestTimeout, outcome.ErrorCode);
        Assert.Equal(2, sent);
    }

    [Fact]
    public void TheBurstOptionSizesTheBucket()
    {
        var ring = new SimulatedRing(603) { CustomizeOptions = o => o with { TopologyRequestBurst = 5, TopologyRequestsPerSecond = 1 } };
        ring.Build(3);
        var a = ring.Live.First();
        var x = new RawNode(ring, a.Self.Add(UInt128.One << 127).Add(3).ToOpaque());
        x.ConnectTo(a);
        for (int i = 0; i < 50; i++) x.Send(x.Request(3000 + (ulong)i, new NodeDestination(a.NodeId), new UpdateReq(new Messages.Chord.PeerReadyUpdate(1))));
        ring.RunFor(TimeSpan.FromMilliseconds(200));
        int answered = x.Received.Count(m => m.Body is UpdateAns);
        Assert.InRange(answered, 5, 6);
    }
}
