using P2psip.Messages;
using P2psip.Overlay;
using P2psip.Peer;
using P2psip.Peer.InMemory;
using P2psip.Peer.Scheduling;
using P2psip.Tests.Security;
using Xunit.Abstractions;

namespace P2psip.Tests.Peer;

/// <summary>Reference peers on wall-clock time, with links and timers on pool threads, through the async API.</summary>
[Trait("Category", TestCategory.Live)]
public class RealTimePeerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SignedPeersOnRealTimeJoinPingAndLeave()
    {
        var pki = TestPki.Shared;
        var network = new InMemoryNetwork(RealTimeScheduler.Instance) { Latency = TimeSpan.FromMilliseconds(1) };
        var configuration = new OverlayConfiguration { InstanceName = TestPki.Overlay };
        ReferencePeer Make(P2psip.Security.Identity identity) => new(new PeerOptions
        {
            Configuration = configuration,
            NodeId = identity.NodeId,
            Identity = identity,
            Validator = pki.Validator,
        }, network.Attach(identity.NodeId, identity.Certificate));
        var alice = Make(pki.Alice);
        var bob = Make(pki.Bob);
        var carol = Make(pki.Carol); // RSA: mixed signature algorithms in one ring
        var watch = System.Diagnostics.Stopwatch.StartNew();
        alice.StartFirst();
        await bob.JoinAsync(alice.Address).WaitAsync(TimeSpan.FromSeconds(30));
        await carol.JoinAsync(bob.Address).WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"joined after {watch.ElapsedMilliseconds} ms");
        // The Updates after the joins (§10.7.1) settle: each peer has the other two as successors.
        await Eventually.WaitUntil(() => new[] { alice, bob, carol }.All(p => p.Snapshot().Successors.Distinct().Count() == 2), "full successor tables");
        foreach (var peer in new[] { alice, bob, carol })
        {
            var outcome = await peer.PingAsync(new ResourceDestination(pki.Carol.NodeId)).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.IsType<P2psip.Messages.Link.PingAns>(outcome.Body);
            Assert.Equal(pki.Carol.NodeId, outcome.Responder);
        }
        Assert.Equal(2, alice.Snapshot().Successors.Distinct().Count());
        output.WriteLine($"pinged after {watch.ElapsedMilliseconds} ms");
        await carol.LeaveAsync().WaitAsync(TimeSpan.FromSeconds(30));
        // §10.9: the Leave reaches both neighbours, which drop Carol from their tables.
        await Eventually.WaitUntil(() => !alice.Snapshot().Successors.Contains(pki.Carol.NodeId) && !bob.Snapshot().Successors.Contains(pki.Carol.NodeId),
            "Carol gone from Alice's and Bob's successors");
        output.WriteLine($"left after {watch.ElapsedMilliseconds} ms");
        alice.Crash();
        bob.Crash();
    }
}
