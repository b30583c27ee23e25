using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Simulation;
using P2psip.Wire;

namespace P2psip.Tests.Peer;

/// <summary>
/// §10.7.1 counts a request to a neighbour that goes unanswered as the neighbour's failure. A node
/// that linked again since (a restart, or another party with the same Node-ID, as the conformance
/// cases' parties are) was never asked that request: the old request's timeout must not take the
/// new attachment out of the tables. Seen in certify runs against the reference as a process: a
/// case's stable neighbour dropped 50 ms after admission by the timeout of an Update sent to an
/// earlier case's party with the same Node-ID.
/// </summary>
public class ReconnectedNeighbourTests
{
    [Fact]
    public void The_timeout_of_an_update_sent_to_an_earlier_link_does_not_drop_the_node_that_linked_again()
    {
        // A peer alone on the ring: requests to a Node-ID with no link have nowhere to go and time out.
        var ring = RingConvergenceTests.Ring(1, seed: 43);
        var a = ring.Live.Single();
        var id = a.Self.Add(1).ToOpaque();
        var timer = TimeSpan.FromMilliseconds(ring.Configuration.OverlayReliabilityTimer);

        // The first node with that Node-ID announces itself, gets A's Updates, never answers them, and goes away.
        var first = new RawNode(ring, id);
        first.ConnectTo(a);
        Announce(ring, first, a, 0x5eed01);
        Assert.Contains(id, a.Snapshot().Successors);
        Assert.Contains(first.Received, m => m.Body is UpdateReq);
        first.Close();
        ring.RunFor(timer / 2);
        Assert.DoesNotContain(id, a.Snapshot().Successors);

        // After A's last retransmission of those Updates (transmissions at 0, T, .., 4T) and before
        // their timeout (5T), a second node with that Node-ID links and announces itself, answering
        // every request A sends it from then on.
        ring.RunFor(timer * 4);
        var second = new RawNode(ring, id);
        second.ConnectTo(a);
        Announce(ring, second, a, 0x5eed02);
        Assert.Contains(id, a.Snapshot().Successors);
        var answered = new HashSet<ulong>();
        for (var waited = TimeSpan.Zero; waited < timer * 2; waited += TimeSpan.FromMilliseconds(100))
        {
            AnswerUpdates(second, a, answered);
            ring.RunFor(TimeSpan.FromMilliseconds(100));
        }

        Assert.Contains(id, a.Snapshot().Successors);
    }

    private static void Announce(SimulatedRing ring, RawNode node, ReferencePeer to, ulong transactionId)
    {
        node.Send(node.Request(transactionId, new NodeDestination(to.NodeId), new UpdateReq(new PeerReadyUpdate(1))));
        ring.RunFor(TimeSpan.FromMilliseconds(200));
    }

    private static void AnswerUpdates(RawNode node, ReferencePeer peer, HashSet<ulong> answered)
    {
        foreach (var m in node.Received.ToList())
            if (m.Body is UpdateReq && answered.Add(m.Header.TransactionId))
                node.Send(node.Request(m.Header.TransactionId, new NodeDestination(peer.NodeId), new UpdateAns(Opaque.Empty)));
    }
}
