using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Tests.Peer;

/// <summary>The message transport (§6.1–6.3): forwarding, errors, timeouts and bounded memory.</summary>
public class TransportTests
{
    [Fact]
    public void ForwardingChangesOnlyTheViaListAndTtl()
    {
        var ring = RingConvergenceTests.Ring(40, seed: 37);
        var a = ring.Live.First();
        var target = a.Self.Add(UInt128.One << 127).Add(12345).ToOpaque();
        var copies = new List<byte[]>();
        var marker = System.Text.Encoding.ASCII.GetBytes("carry-me-intact");
        ring.Network.Intercept = (from, to, bytes) =>
        {
            if (bytes.Span.IndexOf(marker) >= 0 && ReloadCodec.Decode(bytes) is { IsSuccess: true } d && d.Value.Body is PingReq) copies.Add(bytes.ToArray());
            return bytes;
        };
        var outcome = RingConvergenceTests.Send(ring, a, new ResourceDestination(target), new PingReq(marker));
        ring.Network.Intercept = null;
        Assert.IsType<PingAns>(outcome.Body);
        Assert.True(copies.Count >= 2, $"the request took {copies.Count} hops");
        Assert.Equal(copies.Count, outcome.Hops);
        byte[] Tail(byte[] m)
        {
            Assert.True(ForwardingHeaderView.TryRead(m, null, out var view, out _));
            return m[view.ContentsOffset..];
        }
        var first = ReloadCodec.Decode(copies[0]).Value!;
        for (int i = 0; i < copies.Count; i++)
        {
            // UN-2c / §6.1.2: contents and security block byte for byte; Via grows by the previous hop; TTL drops by one.
            Assert.Equal(Tail(copies[0]), Tail(copies[i]));
            var m = ReloadCodec.Decode(copies[i]).Value!;
            Assert.Equal(i, m.Header.ViaList.Count);
            Assert.Equal(first.Header.Ttl - i, m.Header.Ttl);
            Assert.Equal(first.Header.TransactionId, m.Header.TransactionId);
            if (i > 0) Assert.Equal(new NodeDestination(a.NodeId), m.Header.ViaList[0]);
        }
    }

    [Fact]
    public void ARequestToANodeNobodyHasTimesOut()
    {
        var ring = RingConvergenceTests.Ring(10, seed: 41);
        var a = ring.Live.First();
        var nobody = a.Self.Add(UInt128.One << 126).Add(99).ToOpaque();
        var outcome = RingConvergenceTests.Send(ring, a, new NodeDestination(nobody), new PingReq(Opaque.Empty));
        // §6.2.1: five transmissions, then Error_Request_Timeout to the caller.
        Assert.True(outcome.IsLocal);
        Assert.Equal(ErrorCodes.RequestTimeout, outcome.ErrorCode);
        Assert.Equal(0, a.Transport.PendingTransactions);
    }

    [Fact]
    public void UndecodableBytesAreDroppedAndABadRequestBodyGetsInvalidMessage()
    {
        var ring = RingConvergenceTests.Ring(6, seed: 43);
        var a = ring.Live.First();
        var x = new RawNode(ring, a.Self.Add(UInt128.One << 127).ToOpaque());
        x.ConnectTo(a);
        x.SendBytes(new byte[] { 1, 2, 3, 4, 5 });
        ring.RunFor(TimeSpan.FromSeconds(1));
        Assert.Empty(x.Received);
        Assert.Equal(1, a.Transport.Drops["undecodable"]);

        var good = ReloadCodec.Encode(x.Request(77, new NodeDestination(a.NodeId), new PingReq(Opaque.Utf8("pad"))));
        Assert.True(ForwardingHeaderView.TryRead(good, null, out var view, out _));
        // message_code(2) message_body length(4) then padding's 16-bit length: make it run past the body.
        good[view.ContentsOffset + 6] = 0xFF;
        good[view.ContentsOffset + 7] = 0xFF;
        x.SendBytes(good);
        ring.RunFor(TimeSpan.FromSeconds(1));
        var answer = Assert.Single(x.Received);
        Assert.Equal(ErrorCodes.InvalidMessage, Assert.IsType<ErrorResponse>(answer.Body).ErrorCode);
        Assert.Equal(77UL, answer.Header.TransactionId);
    }

    [Fact]
    public void MemoryStaysBoundedUnderAFloodOfJunkAndReplays()
    {
        var ring = RingConvergenceTests.Ring(8, seed: 47);
        var a = ring.Live.First();
        var x = new RawNode(ring, a.Self.Add(UInt128.One << 127).ToOpaque()) { Keep = false };
        x.ConnectTo(a);
        var random = new Random(1);
        var replayed = ReloadCodec.Encode(x.Request(1, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty)));
        ring.RunFor(TimeSpan.FromSeconds(1));
        // Bounded memory, shown by counting every structure the flood could grow (not by heap deltas,
        // which the GC and other tests running in parallel make meaningless).
        int linksBefore = a.Transport.LinkCount;
        var tablesBefore = a.Snapshot();
        int flood = TestProfile.Pick(full: 100_000, ci: 20_000);
        for (int i = 0; i < flood; i++)
        {
            switch (i % 4)
            {
                case 0:
                    var junk = new byte[random.Next(1, 200)];
                    random.NextBytes(junk);
                    x.SendBytes(junk);
                    break;
                case 1:
                    x.SendBytes(replayed);
                    break;
                case 2:
                    x.Send(x.Request((ulong)random.NextInt64(), new NodeDestination(a.NodeId), new PingReq(Opaque.Empty)));
                    break;
                default:
                    // Updates naming made-up neighbours: each would start an Attach.
                    var fake = a.Self.Add((UInt128)(ulong)random.Next(1, 1000)).ToOpaque();
                    x.Send(x.Request((ulong)random.NextInt64(), new NodeDestination(a.NodeId), new UpdateReq(new NeighborsUpdate(1, [], [fake]))));
                    break;
            }
            if (i % 1000 == 999)
            {
                ring.RunFor(TimeSpan.FromMilliseconds(100));
                Assert.InRange(a.Transport.RecentRequestCount, 0, a.Options.RecentRequestCapacity);
                Assert.InRange(a.PendingAttachCount, 0, a.Options.MaxPendingAttaches);
                Assert.InRange(a.Transport.PendingTransactions, 0, a.Options.MaxTransactions);
                Assert.InRange(a.Transport.LinkCount, 0, a.Options.MaxLinks);
            }
        }
        ring.RunQuiet();
        Assert.True(x.ReceivedCount > flood / 2, $"only {x.ReceivedCount} answers to {flood} messages");
        Assert.InRange(a.Transport.RecentRequestCount, 0, a.Options.RecentRequestCapacity);
        Assert.Equal(0, a.PendingAttachCount);
        Assert.Equal(0, a.Transport.PendingTransactions);
        // No link, table entry or timer is left behind by the flood.
        Assert.Equal(linksBefore, a.Transport.LinkCount);
        var tablesAfter = a.Snapshot();
        Assert.Equal(tablesBefore.Predecessors.Count, tablesAfter.Predecessors.Count);
        Assert.Equal(tablesBefore.Successors.Count, tablesAfter.Successors.Count);
        Assert.InRange(tablesAfter.Fingers.Count, 0, tablesBefore.Fingers.Count);
        Assert.Equal(0, ring.Scheduler.Pending);
        // The peer is still a working member of the ring.
        RingConvergenceTests.AssertConverged(ring);
        Assert.Equal(1.0, ring.Lookups(100).SuccessRate);
    }
}
