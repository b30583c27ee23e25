using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.Simulation;

namespace P2psip.Tests.Peer;

/// <summary>Joins and failures at the same time, repaired by reactive updates and the stabilisation timers (§10.7.4).</summary>
public class ChurnTests
{
    [Fact]
    public void ConcurrentJoinsAndACrashConvergeWithStabilisation()
    {
        var ring = new SimulatedRing(seed: 73, chord: new ChordOptions
        {
            UpdateInterval = TimeSpan.FromSeconds(30),
            PingInterval = TimeSpan.FromSeconds(120),
        });
        ring.Build(20);
        var joining = new List<(ReferencePeer Peer, string? Failure)>();
        var victim = ring.Live.ElementAt(3);
        for (int i = 0; i < 15; i++)
        {
            var bootstrap = ring.Live.Where(p => p != victim).ElementAt(ring.Random.Next(19));
            var peer = ring.CreatePeer();
            int slot = joining.Count;
            joining.Add((peer, "did not finish"));
            peer.Join(bootstrap.Address, why => joining[slot] = (peer, why));
        }
        victim.Crash();
        ring.RunFor(TimeSpan.FromMinutes(10));
        // A joiner whose admitting peer was the crashed one fails (it would retry); the others must be in.
        int joined = joining.Count(j => j.Failure is null);
        Assert.InRange(joined, 14, 15);
        Assert.Equal(19 + joined, ring.Live.Count());
        RingConvergenceTests.AssertConverged(ring);
        Assert.Equal(1.0, ring.Lookups(300).SuccessRate);
    }
}
