using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Live;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Tests.LivePeer;
using P2psip.Wire;

namespace P2psip.Tests.PeerDefects;

/// <summary>
/// Issue 11, defect 1 (TR-2b, TR-4a): the certificate that signed a stored value must chain to the
/// overlay's root (§7.1, §11.3), also on replica Stores (§10.4), where the requester is only the
/// replicating neighbour.
/// </summary>
public class StoredDataChainTests
{
    /// <summary>
    /// A neighbour (enrolled, so its link and its StoreReq signature are fine) plants a replica of
    /// alice's SIP registration signed by an "alice" certificate it made itself: refused. The same
    /// replica signed by the enrolled alice is accepted, so the refusal is the chain check's.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AReplicaSignedByAnAliceTheOverlayNeverEnrolledIsRefused(bool enrolledAlice)
    {
        var overlay = new LiveOverlay(2);
        await using var peer = P2psip.Peer.Live.LivePeer.Create(new LivePeerOptions { Configuration = overlay.Configuration, Identity = overlay.Identities[0] });
        await peer.StartAsync();
        await using var neighbour = await LiveLinkClient.ConnectAsync(peer, overlay.Identities[1]);

        // An Update over its own link makes the neighbour a neighbour (it is connected, §10.7.3).
        var updated = await neighbour.AskAsync(1, new UpdateReq(new Messages.Chord.NeighborsUpdate(1, [], [])));
        Assert.IsType<UpdateAns>(updated.Body);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !peer.Peer.Snapshot().Predecessors.Contains(overlay.Identities[1].NodeId)) await Task.Delay(20);
        Assert.Contains(overlay.Identities[1].NodeId, peer.Peer.Snapshot().Predecessors);

        const string aor = "alice@" + LiveOverlay.Name;
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var aliceNodeId = new byte[16];
        Random.Shared.NextBytes(aliceNodeId);
        Identity alice;
        if (enrolledAlice)
        {
            alice = new Identity(keys, overlay.Ca.Issue(keys.Public, aor, [aliceNodeId], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)));
        }
        else
        {
            // Everything an enrolled alice has, but signed by a CA of the attacker's making.
            var own = EnrollmentAuthority.Create(LiveOverlay.Name);
            alice = new Identity(keys, own.Issue(keys.Public, aor, [aliceNodeId], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)));
        }
        var store = SipUsage.Register(alice, aor, "sip:alice@evil.example", DateTimeOffset.UtcNow, 3600);
        var replica = store with { ReplicaNumber = 1, KindData = [store.KindData[0] with { GenerationCounter = 1 }] };
        var answer = await neighbour.AskAsync(2, replica, alice.Certificate.Der);

        if (enrolledAlice)
        {
            Assert.IsType<StoreAns>(answer.Body);
            return;
        }
        var error = Assert.IsType<ErrorResponse>(answer.Body);
        Assert.Equal(ErrorCodes.Forbidden, error.ErrorCode);
        // And the peer does not serve it.
        var fetched = await neighbour.AskAsync(3, SipUsage.Lookup(aor));
        var contacts = SipUsage.ContactsIn(Assert.IsType<FetchAns>(fetched.Body), aor);
        Assert.Empty(contacts);
    }
}
