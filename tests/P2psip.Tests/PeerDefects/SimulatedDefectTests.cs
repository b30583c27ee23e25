using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.InMemory;
using P2psip.Security;
using P2psip.Tests.Peer;
using P2psip.Wire;

namespace P2psip.Tests.PeerDefects;

/// <summary>Issue 11, defects 2, 5, 8 and 10 (the AttachReq role), shown on simulated rings against the reference peer.</summary>
public class SimulatedDefectTests
{
    /// <summary>
    /// Defect 2 (§6.3.4 before §6.2.1, UN-2c/UN-3): an unsigned forgery reusing a transaction id the
    /// peer has just answered must not get the cached answer: the signature is checked first.
    /// </summary>
    [Fact]
    public void AnUnsignedForgeryReusingASeenTransactionIdGetsNoCachedAnswer()
    {
        var ring = RingConvergenceTests.Ring(3, seed: 501, signatures: true);
        var a = ring.Live.First();
        // A RawNode whose in-memory link authenticates as the identity's Node-ID, from the ring's own CA.
        var alice = ring.Issue("alice@" + ring.Configuration.InstanceName, Security.TestPki.Shared.Alice.NodeId);
        var x = new RawNode(ring, alice.NodeId, alice);
        x.ConnectTo(a);
        x.Send(x.Request(900, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty)));
        ring.RunFor(TimeSpan.FromSeconds(1));
        Assert.Single(x.Received, m => m.Header.TransactionId == 900 && m.Body is PingAns);

        // The same request, unsigned: a forgery, not a retransmission.
        x.SendBytes(ReloadCodec.Encode(x.Request(900, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty))));
        ring.RunFor(TimeSpan.FromSeconds(1));
        Assert.Single(x.Received, m => m.Header.TransactionId == 900);
        Assert.Equal(1, a.Transport.Drops["bad signature"]);

        // A true retransmission (the same signed bytes) still gets the answer again (§6.2.1).
        x.Send(x.Request(900, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty)));
        ring.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(2, x.Received.Count(m => m.Header.TransactionId == 900 && m.Body is PingAns));
    }

    /// <summary>
    /// Defect 5 (UN-5, §10.7.2): repeated links from one Node-ID are one entry of the link table,
    /// counted against MaxLinks and sharing one rate-limit bucket; none is started untracked.
    /// </summary>
    [Fact]
    public void RepeatedLinksFromOneNodeIdShareOneTableEntryAndOneBucket()
    {
        var ring = RingConvergenceTests.Ring(3, seed: 503);
        var a = ring.Live.First();
        var attackerId = a.Self.Add(UInt128.One << 126).ToOpaque();
        var attacker = ring.Network.Attach(attackerId, null);
        int answers = 0;
        var links = new List<IPeerLink>();
        void Open()
        {
            attacker.Connect(a.Address, a.NodeId, (link, why) =>
            {
                Assert.True(link is not null, why);
                link!.Start((_, bytes) => { if (ReloadCodec.DecodeCopy(bytes.Span) is { IsSuccess: true } d && d.Value.Body is UpdateAns) answers++; }, _ => { });
                links.Add(link);
            });
            ring.RunFor(TimeSpan.FromMilliseconds(20));
        }
        var overlay = P2psip.Peer.Transport.MessageTransport.OverlayHash(ring.Configuration.InstanceName);
        ulong next = 7000;
        void Flood(IPeerLink link, int count)
        {
            for (int i = 0; i < count; i++)
                link.Send(ReloadCodec.Encode(new ReloadMessage(new ForwardingHeader
                {
                    Overlay = overlay, Ttl = 100, TransactionId = next++, DestinationList = [new NodeDestination(a.NodeId)],
                }, new UpdateReq(new Messages.Chord.PeerReadyUpdate(1)))));
        }

        Open();
        Flood(links[0], 40); // the whole burst of the Node-ID's bucket
        ring.RunFor(TimeSpan.FromMilliseconds(20));
        int firstBatch = answers;
        Assert.InRange(firstBatch, 38, 40);
        for (int i = 0; i < 9; i++) Open();
        // The repeats are not extra entries: at most one of them is still open at the peer.
        Assert.True(attacker.OpenLinks <= 1, $"{attacker.OpenLinks} links from one Node-ID are open");
        foreach (var link in links.Where(l => l.IsOpen)) Flood(link, 40);
        ring.RunFor(TimeSpan.FromMilliseconds(20));
        // The bucket refilled for ~0.2 s of virtual time at 20/s: a handful, never another burst.
        Assert.True(answers - firstBatch <= 8, $"{answers - firstBatch} Updates answered over the repeated links");
    }

    /// <summary>
    /// Defect 8 (§6.3.2.1, §6.5.4: MUST): a request with an older configuration_sequence gets
    /// Error_Config_Too_Old and a ConfigUpdate carrying the peer's configuration document.
    /// </summary>
    [Fact]
    public void ConfigTooOldIsFollowedByAConfigUpdate()
    {
        var ring = RingConvergenceTests.Ring(3, seed: 505);
        var a = ring.Live.First();
        var x = new RawNode(ring, a.Self.Add(UInt128.One << 125).ToOpaque());
        x.ConnectTo(a);
        // The simulator's configuration has sequence 0; 0xFFFE is two behind, modulo 2^16.
        x.Send(x.Request(910, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty), configurationSequence: 0xFFFE));
        ring.RunFor(TimeSpan.FromSeconds(1));
        var answer = x.AnswerTo(910);
        Assert.NotNull(answer);
        Assert.Equal(ErrorCodes.ConfigTooOld, Assert.IsType<ErrorResponse>(answer!.Body).ErrorCode);
        var update = Assert.Single(x.Received, m => m.Body is ConfigUpdateReq);
        var data = Assert.IsType<ConfigDataUpdateReq>(update.Body);
        var parsed = P2psip.Overlay.OverlayDocument.Parse(System.Text.Encoding.UTF8.GetString(data.ConfigData.Span));
        Assert.NotNull(parsed.Find(ring.Configuration.InstanceName));
    }

    /// <summary>
    /// Defect 10 (§6.5.1.1): the offerer's role MUST be "passive"; an AttachReq saying "active" gets
    /// Error_Invalid_Message, and the peer's own Attaches and answers use the roles the RFC names.
    /// </summary>
    [Theory]
    [InlineData("active", false)]
    [InlineData("passive", true)]
    public void AnAttachReqWhoseRoleIsActiveIsInvalid(string role, bool accepted)
    {
        var ring = RingConvergenceTests.Ring(3, seed: 507);
        var a = ring.Live.First();
        var x = new RawNode(ring, a.Self.Add(UInt128.One << 124).ToOpaque());
        x.ConnectTo(a);
        var candidate = IceCandidate.Host(x.Layer.LocalAddress, OverlayLinkType.TlsTcpFhNoIce, Opaque.Utf8("1"), 1);
        x.Send(x.Request(920, new NodeDestination(a.NodeId), new AttachReq(new byte[8], new byte[16], Opaque.Utf8(role), [candidate], false)));
        ring.RunFor(TimeSpan.FromSeconds(1));
        var answer = x.AnswerTo(920);
        Assert.NotNull(answer);
        if (accepted)
        {
            var attach = Assert.IsType<AttachAns>(answer!.Body);
            Assert.Equal("active", System.Text.Encoding.UTF8.GetString(attach.Role.Span));
        }
        else
        {
            Assert.Equal(ErrorCodes.InvalidMessage, Assert.IsType<ErrorResponse>(answer!.Body).ErrorCode);
        }
    }
}
