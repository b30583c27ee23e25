using System.Text;
using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.Simulation;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Tests.Peer;

/// <summary>
/// Each defence the peer core implements, shown working and then switched off (the vulnerable
/// variant) so that the matching oracle is seen to fail.
/// </summary>
public class DefenceTests
{
    /// <summary>
    /// A signed ring (every message signed and verified, §6.3.4) with exactly the named defences off,
    /// and a raw node holding a certificate from the ring's CA for its own Node-ID.
    /// </summary>
    private static (SimulatedRing Ring, ReferencePeer A, RawNode X) Setup(params string[] disabled)
    {
        var ring = RingConvergenceTests.Ring(12, seed: 29, signatures: true, disabled);
        Assert.Equal(disabled.Order(), ring.Defences.Disabled.Select(d => d.Name).Order());
        var a = ring.Live.First();
        // The raw node sits opposite A on the ring, so it is no candidate for A's Neighbor Table.
        var x = SignedRawNode(ring, a.Self.Add(UInt128.One << 127).Add(7).ToOpaque());
        x.ConnectTo(a);
        return (ring, a, x);
    }

    internal static RawNode SignedRawNode(SimulatedRing ring, Opaque nodeId) =>
        new(ring, nodeId, ring.Issue("raw@" + ring.Configuration.InstanceName, nodeId));

    private static ReloadMessage Exchange(SimulatedRing ring, RawNode x, ReloadMessage request)
    {
        x.Send(request);
        ring.RunFor(TimeSpan.FromSeconds(1));
        var answer = x.AnswerTo(request.Header.TransactionId);
        Assert.NotNull(answer);
        return answer!;
    }

    private static ushort? ErrorOf(ReloadMessage m) => (m.Body as ErrorResponse)?.ErrorCode;

    private static ReferencePeer Farthest(SimulatedRing ring, ReferencePeer from) =>
        ring.Live.OrderByDescending(p => from.Self.DistanceTo(p.Self) > (UInt128.One << 127) ? UInt128.Zero : from.Self.DistanceTo(p.Self)).First();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ATtlOfZeroIsNotForwarded(bool defenceOn)
    {
        var (ring, a, x) = Setup(defenceOn ? [] : [DefenceSwitches.Ttl]);
        var far = Farthest(ring, a);
        var answer = Exchange(ring, x, x.Request(1, new ResourceDestination(far.NodeId), new PingReq(Opaque.Empty), ttl: 0));
        if (defenceOn) Assert.Equal(ErrorCodes.TtlExceeded, ErrorOf(answer));
        else Assert.IsType<PingAns>(answer.Body);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ATtlAboveInitialTtlIsRefused(bool defenceOn)
    {
        var (ring, a, x) = Setup(defenceOn ? [] : [DefenceSwitches.Ttl]);
        var answer = Exchange(ring, x, x.Request(2, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty), ttl: 101));
        if (defenceOn) Assert.Equal(ErrorCodes.TtlExceeded, ErrorOf(answer));
        else Assert.IsType<PingAns>(answer.Body);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnotherConfigurationSequenceIsRefused(bool defenceOn)
    {
        var (ring, a, x) = Setup(defenceOn ? [] : [DefenceSwitches.ConfigSequence]);
        var newer = Exchange(ring, x, x.Request(3, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty), configurationSequence: 3));
        var older = Exchange(ring, x, x.Request(4, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty), configurationSequence: 0xFFF0));
        if (defenceOn)
        {
            Assert.Equal(ErrorCodes.ConfigTooNew, ErrorOf(newer));
            Assert.Equal(ErrorCodes.ConfigTooOld, ErrorOf(older));
        }
        else
        {
            Assert.IsType<PingAns>(newer.Body);
            Assert.IsType<PingAns>(older.Body);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UnknownCriticalOptionsAndExtensionsAreRefused(bool defenceOn)
    {
        var (ring, a, x) = Setup(defenceOn ? [] : [DefenceSwitches.CriticalOptions]);
        var ping = x.Request(5, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty));
        var destinationCritical = ping with { Header = ping.Header with { Options = [new ForwardingOption(1, ForwardingOption.DestinationCritical, Opaque.Empty)] } };
        var far = Farthest(ring, a);
        var forward = x.Request(6, new ResourceDestination(far.NodeId), new PingReq(Opaque.Empty));
        var forwardCritical = forward with { Header = forward.Header with { Options = [new ForwardingOption(1, ForwardingOption.ForwardCritical, Opaque.Empty)] } };
        var extension = x.Request(7, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty));
        extension = extension with { Contents = extension.Contents with { Extensions = [new MessageExtension(0x7777, true, Opaque.Empty)] } };
        var answers = new[] { destinationCritical, forwardCritical, extension }.Select(m => Exchange(ring, x, m)).ToList();
        if (defenceOn)
        {
            Assert.Equal(ErrorCodes.UnsupportedForwardingOption, ErrorOf(answers[0]));
            Assert.Equal(ErrorCodes.UnsupportedForwardingOption, ErrorOf(answers[1]));
            Assert.Equal(ErrorCodes.UnknownExtension, ErrorOf(answers[2]));
        }
        else
        {
            Assert.All(answers, m => Assert.IsType<PingAns>(m.Body));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AReplayedRequestIsNotExecutedTwice(bool defenceOn)
    {
        var (ring, a, x) = Setup(defenceOn ? [] : [DefenceSwitches.TransactionReplay]);
        var ping = x.Request(8, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty));
        var first = Assert.IsType<PingAns>(Exchange(ring, x, ping).Body);
        x.Received.Clear();
        var second = Assert.IsType<PingAns>(Exchange(ring, x, ping).Body);
        // response_id is random per execution (§6.5.3.2): the same one means the answer was replayed, not re-executed.
        if (defenceOn) Assert.Equal(first.ResponseId, second.ResponseId);
        else Assert.NotEqual(first.ResponseId, second.ResponseId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnUpdateNamingUnknownNodeIdsDoesNotFillTheTables(bool defenceOn)
    {
        var (ring, a, x) = Setup(defenceOn ? [] : [DefenceSwitches.AttachBeforeUpdate]);
        var before = a.Snapshot();
        // UN-4: Node-IDs right next to A that no peer owns.
        var fakePredecessor = a.Self.Add(UInt128.MaxValue).ToOpaque(); // A - 1
        var fakeSuccessor = a.Self.Add(1).ToOpaque();
        var update = new UpdateReq(new NeighborsUpdate(10, [fakePredecessor], [fakeSuccessor]));
        Assert.IsType<UpdateAns>(Exchange(ring, x, x.Request(9, new NodeDestination(a.NodeId), update)).Body);
        // The tables right after the poisoned Update is answered: with the defence off the fakes are
        // already A's first neighbours. (A minute later, rate-limits on, §10.7.2, they are gone
        // again, so the corruption is read here.)
        var poisoned = a.Snapshot();
        if (!defenceOn)
        {
            Assert.Equal(fakeSuccessor, poisoned.Successors[0]);
            Assert.Equal(fakePredecessor, poisoned.Predecessors[0]);
            return;
        }
        Assert.Equal(before.Successors, poisoned.Successors);
        Assert.Equal(before.Predecessors, poisoned.Predecessors);
        ring.RunFor(TimeSpan.FromSeconds(60)); // long enough for the Attaches to the fakes to time out
        var after = a.Snapshot();
        var tables = after.Predecessors.Concat(after.Successors).Concat(after.Fingers).ToList();
        Assert.DoesNotContain(fakePredecessor, tables);
        Assert.DoesNotContain(fakeSuccessor, tables);
        Assert.Equal(before.Successors, after.Successors);
        Assert.Equal(before.Predecessors, after.Predecessors);
        Assert.Equal(0, a.PendingAttachCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AResponseFromTheWrongNodeIsDiscarded(bool defenceOn)
    {
        var (ring, a, x) = Setup(defenceOn ? [] : [DefenceSwitches.ResponseOrigin]);
        var successor = ring.Live.Single(p => p.NodeId == a.Snapshot().Successors[0]);
        // UN-1c: when A's Ping reaches the responsible peer, the raw node answers first in its place.
        ring.Network.Intercept = (from, to, bytes) =>
        {
            if (to == successor.NodeId && from == a.NodeId && ReloadCodec.Decode(bytes) is { IsSuccess: true } d && d.Value.Body is PingReq)
            {
                var forged = new ReloadMessage(new ForwardingHeader
                {
                    Overlay = d.Value.Header.Overlay,
                    TransactionId = d.Value.Header.TransactionId,
                    DestinationList = [new NodeDestination(a.NodeId)],
                }, new PingAns(666, 0));
                x.Send(forged);
            }
            return bytes;
        };
        var outcome = RingConvergenceTests.Send(ring, a, new ResourceDestination(successor.NodeId), new PingReq(Opaque.Empty));
        ring.Network.Intercept = null;
        if (defenceOn)
        {
            Assert.Equal(successor.NodeId, outcome.Responder);
            Assert.NotEqual(666UL, Assert.IsType<PingAns>(outcome.Body).ResponseId);
            Assert.Equal(1, a.Transport.Drops["response from wrong node"]);
        }
        else
        {
            Assert.Equal(x.NodeId, outcome.Responder);
            Assert.Equal(666UL, Assert.IsType<PingAns>(outcome.Body).ResponseId);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ALeaveOrJoinFromAnotherChannelHasNoEffect(bool defenceOn)
    {
        var (ring, a, x) = Setup(defenceOn ? [] : [DefenceSwitches.JoinLeaveBinding]);
        var victim = a.Snapshot().Successors[0];
        var leave = new LeaveReq(victim, ChordLeaveData.FromSucc([]));
        var answer = Exchange(ring, x, x.Request(10, new NodeDestination(a.NodeId), leave));
        if (defenceOn)
        {
            Assert.Equal(ErrorCodes.Forbidden, ErrorOf(answer));
            Assert.Equal(victim, a.Snapshot().Successors[0]);
        }
        else
        {
            Assert.IsType<LeaveAns>(answer.Body);
            Assert.DoesNotContain(victim, a.Snapshot().Successors);
        }
        var join = Exchange(ring, x, x.Request(11, new NodeDestination(a.NodeId), new JoinReq(a.Self.Add(3).ToOpaque(), Opaque.Empty)));
        if (defenceOn) Assert.Equal(ErrorCodes.Forbidden, ErrorOf(join));
        else Assert.IsType<JoinAns>(join.Body);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AMessageModifiedInTransitIsDroppedAtItsDestination(bool defenceOn)
    {
        // Signed ring: every peer signs; the destination verifies unless the defence is off.
        var ring = RingConvergenceTests.Ring(6, seed: 31, signatures: true, defenceOn ? [] : [DefenceSwitches.MessageSignatures]);
        var a = ring.Live.First();
        var b = Farthest(ring, a);
        var marker = Encoding.ASCII.GetBytes("tamper-me");
        int deliveries = 0;
        ring.Network.Intercept = (from, to, bytes) =>
        {
            if (to != b.NodeId || bytes.Span.IndexOf(marker) is var at && at < 0) return bytes;
            deliveries++;
            if (deliveries > 1) return bytes;
            var changed = bytes.ToArray();
            changed[at] ^= 0x01; // UN-2c: one bit of the contents
            return changed;
        };
        var outcome = RingConvergenceTests.Send(ring, a, new NodeDestination(b.NodeId), new PingReq(marker));
        ring.Network.Intercept = null;
        Assert.IsType<PingAns>(outcome.Body);
        if (defenceOn)
        {
            Assert.Equal(1, b.Transport.Drops["bad signature"]);
            Assert.Equal(2, deliveries); // the retransmission (§6.2.1) got through unmodified
        }
        else
        {
            Assert.False(b.Transport.Drops.ContainsKey("bad signature"));
            Assert.Equal(1, deliveries); // the modified request was executed
        }
    }
}

/// <summary>Size limits and signer binding (§6.6, §6.3.2, §13.6.3).</summary>
public class LimitTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AMessageAboveMaxMessageSizeIsRefusedAndTheLinkClosed(bool defenceOn)
    {
        var ring = RingConvergenceTests.Ring(6, seed: 61, signatures: true, defenceOn ? [] : [DefenceSwitches.Quotas]);
        var a = ring.Live.First();
        var x = DefenceTests.SignedRawNode(ring, a.Self.Add(UInt128.One << 127).ToOpaque());
        x.ConnectTo(a);
        var big = x.Request(12, new NodeDestination(a.NodeId), new PingReq(new byte[(int)ring.Configuration.MaxMessageSize]));
        Assert.True(ReloadCodec.Encode(MessageSigner.Sign(big, x.Identity!)).Length > ring.Configuration.MaxMessageSize);
        x.Send(big);
        ring.RunFor(TimeSpan.FromSeconds(1));
        var answer = x.AnswerTo(12);
        Assert.NotNull(answer);
        if (defenceOn)
        {
            Assert.Equal(ErrorCodes.MessageTooLarge, Assert.IsType<ErrorResponse>(answer!.Body).ErrorCode);
            Assert.DoesNotContain(RingId.From(x.NodeId), a.Transport.Connected);
        }
        else
        {
            Assert.IsType<PingAns>(answer!.Body);
        }
    }

    [Fact]
    public void AnAnswerLongerThanMaxResponseLengthBecomesAnError()
    {
        var ring = RingConvergenceTests.Ring(6, seed: 67);
        var a = ring.Live.First();
        var x = new RawNode(ring, a.Self.Add(UInt128.One << 127).ToOpaque());
        x.ConnectTo(a);
        var request = x.Request(13, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty));
        x.Send(request with { Header = request.Header with { MaxResponseLength = 40 } });
        ring.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(ErrorCodes.ResponseTooLarge, Assert.IsType<ErrorResponse>(x.AnswerTo(13)!.Body).ErrorCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ARequestSignedForAnotherNodeIdIsDropped(bool defenceOn)
    {
        var ring = RingConvergenceTests.Ring(4, seed: 71, signatures: true, defenceOn ? [] : [DefenceSwitches.CertificateNodeId]);
        var a = ring.Live.First();
        // The raw node's link says one Node-ID; its signature is Alice's, whose certificate (from the
        // ring's CA, so valid) names another.
        var alice = ring.Issue("alice@" + ring.Configuration.InstanceName, a.Self.Add(UInt128.One << 126).ToOpaque());
        var x = new RawNode(ring, a.Self.Add(UInt128.One << 127).ToOpaque(), alice);
        x.ConnectTo(a);
        x.Send(x.Request(14, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty)));
        ring.RunFor(TimeSpan.FromSeconds(1));
        if (defenceOn)
        {
            Assert.Null(x.AnswerTo(14));
            Assert.Equal(1, a.Transport.Drops["signer is not the origin"]);
        }
        else
        {
            Assert.IsType<PingAns>(x.AnswerTo(14)!.Body);
        }
    }
}
