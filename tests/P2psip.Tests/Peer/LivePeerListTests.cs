using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.Simulation;

namespace P2psip.Tests.Peer;

/// <summary>The simulator's incrementally kept list of joined peers always equals a scan of every peer.</summary>
public class LivePeerListTests
{
    [Fact]
    public void The_live_list_follows_joins_crashes_and_leaves_in_creation_order()
    {
        var ring = new SimulatedRing(seed: 31, chord: new ChordOptions { UpdateInterval = TimeSpan.FromSeconds(30), PingInterval = TimeSpan.FromSeconds(120) });
        var live = new LivePeerList();
        ring.Build(12);
        foreach (var p in ring.Peers) live.Track(p);
        Assert.Equal(ring.Live, live.Peers);
        ring.Peers[3].Crash();
        Assert.Equal(ring.Live, live.Peers);
        bool left = false;
        ring.Peers[0].Leave(() => left = true);
        ring.RunFor(TimeSpan.FromMinutes(1));
        Assert.True(left);
        Assert.Equal(ring.Live, live.Peers);
        // A peer created now, joining later, enters at its place in creation order.
        var late = ring.CreatePeer();
        live.Track(late);
        Assert.Equal(ring.Live, live.Peers);
        late.Join(ring.Peers[5].Address, _ => { });
        ring.RunFor(TimeSpan.FromMinutes(2));
        Assert.Equal(PeerState.Joined, late.State);
        Assert.Equal(ring.Live, live.Peers);
        Assert.Equal(11, live.Peers.Count);
    }
}
