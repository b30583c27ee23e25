using P2psip.Messages.Storage;
using P2psip.Peer;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Wire;
using static P2psip.Tests.PeerStorage.StorageKit;

namespace P2psip.Tests.PeerStorage;

/// <summary>The certificate store usage (§8) through the engine.</summary>
public class CertificateUsageTests
{
    [Fact]
    public void Published_certificates_are_found_by_user_and_by_node_and_let_a_peer_verify_without_the_bucket()
    {
        var engine = Engine();
        foreach (var store in CertificateUsage.Publish(Alice, T0, 3600)) Stored(Send(engine, store, From(Alice)));

        var byUser = CertificateUsage.LookupByUser(Alice.UserName!);
        var users = CertificateUsage.CertificatesIn(Assert.IsType<FetchAns>(Send(engine, byUser, From(Bob))), byUser.Resource);
        Assert.Equal(Alice.Certificate.Der, Assert.Single(users).Der);
        var byNode = CertificateUsage.LookupByNode(Alice.NodeId);
        var nodes = CertificateUsage.CertificatesIn(Assert.IsType<FetchAns>(Send(engine, byNode, From(Bob))), byNode.Resource);
        Assert.Equal(Alice.Certificate.Der, Assert.Single(nodes).Der);

        // Bob cannot publish his certificate under Alice's names.
        var forged = Signed(Bob, byUser.Resource, KindRegistry.CertificateByUser, StoredCertificate.Of(Bob.Certificate.Certificate).ToAppendEntry(), Ms(T0) + 1);
        RefusedByPolicy(Send(engine, StoreOf(byUser.Resource, KindRegistry.CertificateByUser, forged), From(Bob)));

        // A peer that learned Alice's certificate this way verifies her values with no certificate in the message.
        var known = new CertificateStore();
        known.Add(users[0]);
        var verifying = new StorageEngine(Configuration, DefenceSwitches.AllOn) { KnownCertificates = known };
        var resource = UserResource(Alice, PrivateSingle);
        var context = new StorageRequest(Alice.Certificate, Alice.NodeId, ValueList<Opaque>.Empty, T0, LocalNodeId);
        Stored(Send(verifying, StoreOf(resource, PrivateSingle, Signed(Alice, resource, PrivateSingle, Single("v"), Ms(T0))), context));
    }
}
