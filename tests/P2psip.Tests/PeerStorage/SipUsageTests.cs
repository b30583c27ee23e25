using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Tests.Wire;
using P2psip.Wire;
using static P2psip.Tests.PeerStorage.StorageKit;

namespace P2psip.Tests.PeerStorage;

/// <summary>SIP register and lookup through the engine, with whole signed messages as a peer would see them.</summary>
public class SipUsageTests
{
    /// <summary>
    /// What the peer's adapter does: sign the request as <paramref name="sender"/>, send it over the
    /// codec, verify the message signature (§6.3.4) and hand the body with its context to the engine.
    /// </summary>
    private static MessageBody Deliver(StorageEngine engine, MessageBody body, Identity sender)
    {
        var bytes = ReloadCodec.Encode(MessageSigner.Sign(MessageRoundTripTests.Sample(body), sender));
        var received = ReloadCodec.Decode(bytes, Options);
        Assert.True(received.IsSuccess, received.Error?.ToString());
        var message = received.Value!;
        var check = MessageSigner.Verify(message);
        Assert.True(check.Valid, check.Failure);
        var bucket = message.Security.Certificates.Select(c => c.Certificate).ToArray();
        var context = new StorageRequest(check.Certificate, check.SignerNodeId, bucket, T0, LocalNodeId) { MessageLength = bytes.Length };
        return engine.Handle(message.Contents.Body, context);
    }

    [Fact]
    public void Register_then_look_up_returns_the_contacts_with_verified_signatures()
    {
        var engine = Engine();
        Stored(Deliver(engine, SipUsage.Register(Alice, "alice@test.overlay", "sip:alice@192.0.2.1:5060", T0, 3600), Alice));
        Stored(Deliver(engine, SipUsage.Register(Bob, "sip:bob@test.overlay", "sip:bob@192.0.2.2:5060", T0, 3600), Bob));

        var answer = Assert.IsType<FetchAns>(Deliver(engine, SipUsage.Lookup("sip:alice@test.overlay"), Bob));
        var contact = Assert.Single(SipUsage.ContactsIn(answer, "alice@test.overlay", [Alice.Certificate.Der]));
        Assert.Equal(Alice.NodeId, contact.NodeId);
        Assert.Equal("sip:alice@192.0.2.1:5060", contact.Uri);

        // Verified against the wrong certificate, nothing is trusted (§7.4.2.2).
        Assert.Empty(SipUsage.ContactsIn(answer, "alice@test.overlay", [Bob.Certificate.Der]));
        // An AOR nobody registered: no contacts.
        var nobody = Assert.IsType<FetchAns>(Deliver(engine, SipUsage.Lookup("carol@test.overlay"), Bob));
        Assert.Empty(SipUsage.ContactsIn(nobody, "carol@test.overlay"));
    }

    [Fact]
    public void A_route_registration_round_trips_and_reregistration_replaces_the_contact()
    {
        var engine = Engine();
        var route = new SipRegistrationRoute(Opaque.Utf8("audio"), [new NodeDestination(Alice.NodeId)]);
        Stored(Deliver(engine, SipUsage.Register(Alice, "alice@test.overlay", route, T0, 3600), Alice));
        Stored(Deliver(engine, SipUsage.Register(Alice, "alice@test.overlay", "sip:alice@198.51.100.7", T0.AddSeconds(1), 3600), Alice));
        var answer = Assert.IsType<FetchAns>(Deliver(engine, SipUsage.Lookup("alice@test.overlay"), Alice));
        Assert.Equal("sip:alice@198.51.100.7", Assert.Single(SipUsage.ContactsIn(answer, "alice@test.overlay")).Uri);

        Stored(Deliver(engine, SipUsage.Register(Alice, "alice@test.overlay", route, T0.AddSeconds(2), 3600), Alice));
        answer = Assert.IsType<FetchAns>(Deliver(engine, SipUsage.Lookup("alice@test.overlay"), Alice));
        Assert.Equal(route, Assert.Single(SipUsage.ContactsIn(answer, "alice@test.overlay", [Alice.Certificate.Der])).Registration);
    }

    [Fact]
    public void Bob_cannot_register_alices_aor()
    {
        var engine = Engine();
        var forged = SipUsage.Register(Bob, "alice@test.overlay", "sip:mallory@203.0.113.9", T0, 3600);
        RefusedByPolicy(Deliver(engine, forged, Bob));
        var answer = Assert.IsType<FetchAns>(Deliver(engine, SipUsage.Lookup("alice@test.overlay"), Bob));
        Assert.Empty(SipUsage.ContactsIn(answer, "alice@test.overlay"));
    }

    [Fact]
    public void The_aor_is_hashed_with_its_scheme()
    {
        Assert.Equal("sip:alice@test.overlay", SipUsage.AorOf("alice@test.overlay"));
        Assert.Equal("sip:alice@test.overlay", SipUsage.AorOf("sip:alice@test.overlay"));
        Assert.Equal(OverlayHash.ResourceId("sip:alice@test.overlay"), SipUsage.ResourceIdOf("alice@test.overlay"));
        Assert.Equal(SipUsage.ResourceIdOf("alice@test.overlay"), AccessControl.UserResourceId(KindRegistry.SipRegistration, "alice@test.overlay"));
        Assert.Equal(OverlayHash.ResourceId("alice@test.overlay"), AccessControl.UserResourceId(KindRegistry.CertificateByUser, "alice@test.overlay"));
    }
}
