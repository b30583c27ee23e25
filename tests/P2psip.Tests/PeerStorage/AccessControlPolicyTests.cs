using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer;
using P2psip.Peer.Storage;
using P2psip.Wire;
using static P2psip.Tests.PeerStorage.StorageKit;

namespace P2psip.Tests.PeerStorage;

/// <summary>Each policy of §7.3 accepts its owner and refuses others with Error_Forbidden (TR-2b).</summary>
public class AccessControlPolicyTests
{
    [Fact]
    public void User_match_accepts_the_user_and_refuses_others()
    {
        var engine = Engine();
        var resource = UserResource(Alice, KindRegistry.CertificateByUser);
        var mine = Signed(Alice, resource, KindRegistry.CertificateByUser, Element(ArrayEntry.Append, "alice cert"), Ms(T0));
        Stored(Send(engine, StoreOf(resource, KindRegistry.CertificateByUser, mine), From(Alice)));

        var theirs = Signed(Bob, resource, KindRegistry.CertificateByUser, Element(ArrayEntry.Append, "bob cert"), Ms(T0) + 1);
        RefusedByPolicy(Send(engine, StoreOf(resource, KindRegistry.CertificateByUser, theirs), From(Bob)));
        Assert.Single(Fetched(engine, resource, KindRegistry.CertificateByUser, new ArraySpecifier([ArrayRange.All])).Values);
    }

    [Fact]
    public void Node_match_accepts_the_node_and_refuses_others()
    {
        var engine = Engine();
        var resource = NodeResource(Alice);
        var mine = Signed(Alice, resource, KindRegistry.CertificateByNode, Element(ArrayEntry.Append, "alice cert"), Ms(T0));
        Stored(Send(engine, StoreOf(resource, KindRegistry.CertificateByNode, mine), From(Alice)));

        var theirs = Signed(Bob, resource, KindRegistry.CertificateByNode, Element(0, "bob cert"), Ms(T0) + 1);
        RefusedByPolicy(Send(engine, StoreOf(resource, KindRegistry.CertificateByNode, theirs), From(Bob)));
        // Bob at his own Node-ID's hash is fine.
        var own = Signed(Bob, NodeResource(Bob), KindRegistry.CertificateByNode, Element(0, "bob cert"), Ms(T0));
        Stored(Send(engine, StoreOf(NodeResource(Bob), KindRegistry.CertificateByNode, own), From(Bob)));
    }

    [Fact]
    public void User_node_match_needs_the_users_aor_and_the_signers_node_id_as_key()
    {
        var engine = Engine();
        var resource = SipUsage.ResourceIdOf(Alice.UserName!);
        Stored(Send(engine, SipUsage.Register(Alice, Alice.UserName!, "sip:alice@192.0.2.1", T0, 600), From(Alice)));

        // Bob at Alice's AOR, under his own Node-ID: his user name does not hash to it.
        var bobs = Signed(Bob, resource, KindRegistry.SipRegistration, Entry(Bob.NodeId, "sip:bob@192.0.2.2"), Ms(T0) + 1);
        RefusedByPolicy(Send(engine, StoreOf(resource, KindRegistry.SipRegistration, bobs), From(Bob)));
        // Alice at her AOR under a key that is not her Node-ID.
        var wrongKey = Signed(Alice, resource, KindRegistry.SipRegistration, Entry(Bob.NodeId, "sip:alice@192.0.2.1"), Ms(T0) + 1);
        RefusedByPolicy(Send(engine, StoreOf(resource, KindRegistry.SipRegistration, wrongKey), From(Alice)));
        // The AOR hashed without its scheme is not the one the policy grants (the one convention, SipUsage).
        var bare = OverlayHash.ResourceId(Alice.UserName!);
        var noScheme = Signed(Alice, bare, KindRegistry.SipRegistration, Entry(Alice.NodeId, "sip:alice@192.0.2.1"), Ms(T0) + 1);
        RefusedByPolicy(Send(engine, StoreOf(bare, KindRegistry.SipRegistration, noScheme), From(Alice)));
    }

    [Fact]
    public void Node_multiple_accepts_i_up_to_max_node_multiple_only()
    {
        var engine = Engine();
        for (uint i = 1; i <= 3; i++)
        {
            var resource = AccessControl.NodeMultipleResourceId(Alice.NodeId, i);
            var value = Signed(Alice, resource, PrivateMultiple, Entry(Alice.NodeId, $"copy {i}"), Ms(T0));
            Stored(Send(engine, StoreOf(resource, PrivateMultiple, value), From(Alice)));
        }
        var tooFar = AccessControl.NodeMultipleResourceId(Alice.NodeId, 4);
        RefusedByPolicy(Send(engine, StoreOf(tooFar, PrivateMultiple, Signed(Alice, tooFar, PrivateMultiple, Entry(Alice.NodeId, "copy 4"), Ms(T0))), From(Alice)));
        var alices = AccessControl.NodeMultipleResourceId(Alice.NodeId, 2);
        RefusedByPolicy(Send(engine, StoreOf(alices, PrivateMultiple, Signed(Bob, alices, PrivateMultiple, Entry(Bob.NodeId, "bob"), Ms(T0) + 1)), From(Bob)));
    }

    [Fact]
    public void In_an_original_store_the_StoreReq_signer_must_conform_too()
    {
        var engine = Engine();
        var resource = UserResource(Alice, PrivateSingle);
        // Alice's properly signed value, sent by Bob: refused as an original store (§7.3)...
        var value = Signed(Alice, resource, PrivateSingle, Single("v1"), Ms(T0));
        RefusedByPolicy(Send(engine, StoreOf(resource, PrivateSingle, value), From(Bob, Alice)));
        // ...accepted as a replica store from a plausible peer (only the value's signer is checked).
        Stored(Send(engine, new StoreReq(resource, 1, [new StoreKindData(PrivateSingle, 5, [value])]), From(Bob, Alice)));
    }

    [Fact]
    public void Replica_store_from_an_implausible_sender_is_refused()
    {
        var engine = Engine(responsibility: new OnlyFrom(Alice.NodeId));
        var resource = UserResource(Alice, PrivateSingle);
        var value = Signed(Alice, resource, PrivateSingle, Single("v1"), Ms(T0));
        Refused(Send(engine, new StoreReq(resource, 1, [new StoreKindData(PrivateSingle, 5, [value])]), From(Bob, Alice)), ErrorCodes.Forbidden);
        Stored(Send(engine, new StoreReq(resource, 1, [new StoreKindData(PrivateSingle, 5, [value])]), From(Alice)));
    }

    [Fact]
    public void With_access_control_off_anybody_overwrites_anybody()
    {
        var engine = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.AccessControl));
        var resource = UserResource(Alice, PrivateSingle);
        Stored(Send(engine, StoreOf(resource, PrivateSingle, Signed(Alice, resource, PrivateSingle, Single("alice"), Ms(T0))), From(Alice)));
        Stored(Send(engine, StoreOf(resource, PrivateSingle, Signed(Bob, resource, PrivateSingle, Single("bob"), Ms(T0) + 1)), From(Bob)));
        var value = Assert.Single(Fetched(engine, resource, PrivateSingle, SingleValueSpecifier.Instance).Values);
        Assert.Equal("bob", System.Text.Encoding.UTF8.GetString(value.Value.Data!.Value.Span));
    }

    private sealed class OnlyFrom(Opaque sender) : IStorageResponsibility
    {
        public bool IsResponsibleFor(Opaque resourceId) => true;
        public bool AcceptsReplicaFrom(Opaque resourceId, Opaque senderNodeId) => senderNodeId == sender;
        public ValueList<Opaque> ReplicasFor(Opaque resourceId) => ValueList<Opaque>.Empty;
    }
}
