using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Tests.Peer;

/// <summary>
/// The defences wired to the transport and the link layers (rate-limits, certificate-validation,
/// tls-only), each shown on and then switched off.
/// </summary>
public class DefenceSwitchWiringTests
{
    /// <summary>§10.7.2 (UN-5): a flood of Updates over one link is cut to the bucket's worth.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnUpdateFloodOverOneLinkIsRateLimited(bool defenceOn)
    {
        var ring = RingConvergenceTests.Ring(8, seed: 31, signatures: false, defenceOn ? [] : [DefenceSwitches.RateLimits]);
        var a = ring.Live.First();
        var x = new RawNode(ring, a.Self.Add(UInt128.One << 127).Add(7).ToOpaque());
        x.ConnectTo(a);
        long before = a.Transport.RateLimited;
        const int flood = 1000;
        for (int i = 0; i < flood; i++)
            x.Send(x.Request(10_000 + (ulong)i, new NodeDestination(a.NodeId), new UpdateReq(new PeerReadyUpdate(1))));
        ring.RunFor(TimeSpan.FromSeconds(1));
        long limited = a.Transport.RateLimited - before;
        long answered = x.Received.Count(m => m.Header.TransactionId >= 10_000 && m.Header.TransactionId < 10_000 + flood && !MessageCodes.IsRequest(m.MessageCode));
        if (defenceOn)
        {
            Assert.True(flood - limited <= 60, $"{flood - limited} Updates processed, more than the bucket's 40 + 20/s");
            Assert.True(answered <= 60, $"{answered} answered");
        }
        else
        {
            Assert.Equal(0, limited);
            Assert.Equal(flood, answered);
        }
    }
}
