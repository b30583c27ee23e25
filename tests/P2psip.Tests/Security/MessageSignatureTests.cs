using FsCheck;
using FsCheck.Xunit;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Security;
using P2psip.Tests.Wire;

namespace P2psip.Tests.Security;

public class MessageSignatureTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private static readonly ReloadMessage Unsigned = MessageRoundTripTests.Sample(ErrorResponse.Of(ErrorCodes.NotFound, "nothing here"));

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("rsa")]
    public void Signs_and_verifies_with_the_certificate_from_the_bucket(string kind)
    {
        var identity = kind == "rsa" ? Pki.Carol : Pki.Alice;
        var signed = MessageSigner.Sign(Unsigned, identity);
        Assert.Equal(kind == "rsa" ? SignatureAndHashAlgorithm.RsaSha256 : SignatureAndHashAlgorithm.EcdsaSha256, signed.Security.Signature.Algorithm);
        Assert.Equal(SignerIdentity.OfCertHash(identity.Certificate.Hash), signed.Security.Signature.Identity);
        Assert.Single(signed.Security.Certificates);
        // Through the wire and back.
        var decoded = ReloadCodec.Decode(ReloadCodec.Encode(signed)).GetValueOrThrow();
        var check = MessageSigner.Verify(decoded, validator: Pki.Validator);
        Assert.True(check.Valid, check.Failure);
        Assert.Equal(identity.NodeId, check.SignerNodeId);
    }

    [Fact]
    public void Finds_the_certificate_in_the_store_when_the_bucket_is_empty()
    {
        var signed = MessageSigner.Sign(Unsigned, Pki.Bob, includeCertificate: false);
        Assert.Contains("neither in the certificate bucket nor in the store", MessageSigner.Verify(signed).Failure);
        var store = new CertificateStore();
        store.Add(Pki.Bob.Certificate);
        Assert.True(MessageSigner.Verify(signed, store).Valid);
    }

    [Fact]
    public void A_certificate_with_several_node_ids_signs_as_cert_hash_node_id()
    {
        var ca = Pki.Ca;
        ca.AddUser("multi@test.overlay", "pw");
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var multi = new Identity(keys, ReloadCertificate.FromDer(ca.Enroll("multi@test.overlay", "pw", CertificateRequests.Create(keys, "multi@test.overlay"), 3)).Certificate);
        var second = multi.NodeIds[1];
        var signed = MessageSigner.Sign(Unsigned, multi, asNodeId: second);
        Assert.Equal(SignerIdentity.CertHashNodeId, signed.Security.Signature.Identity.IdentityType);
        var check = MessageSigner.Verify(signed);
        Assert.True(check.Valid, check.Failure);
        Assert.Equal(second, check.SignerNodeId);
    }

    [Fact]
    public void Refuses_a_signer_whose_certificate_is_not_from_the_overlay_CA()
    {
        var signed = MessageSigner.Sign(Unsigned, Pki.FromOtherCa);
        Assert.True(MessageSigner.Verify(signed).Valid); // the signature itself is fine
        Assert.Contains("another CA", MessageSigner.Verify(signed, validator: Pki.Validator).Failure);
    }

    [Fact]
    public void Changing_a_covered_field_breaks_the_signature()
    {
        var signed = MessageSigner.Sign(Unsigned, Pki.Alice);
        Assert.False(MessageSigner.Verify(signed with { Header = signed.Header with { Overlay = signed.Header.Overlay + 1 } }).Valid);
        Assert.False(MessageSigner.Verify(signed with { Header = signed.Header with { TransactionId = 1 } }).Valid);
        Assert.False(MessageSigner.Verify(signed with { Contents = new MessageContents(ErrorResponse.Of(ErrorCodes.NotFound, "nothing hers")) }).Valid);
        // Fields outside the signed input (TTL, via list) may change in transit.
        Assert.True(MessageSigner.Verify(signed with { Header = signed.Header with { Ttl = 3 } }).Valid);
    }

    private static readonly byte[] RsaInput = ReloadCodec.SignatureInput(Unsigned, MessageSigner.IdentityFor(Pki.Carol));
    private static readonly byte[] RsaSignature = SignatureAlgorithms.Sign(Pki.Carol.PrivateKey, SignatureAndHashAlgorithm.RsaSha256, RsaInput);
    private static readonly byte[] EcInput = ReloadCodec.SignatureInput(Unsigned, MessageSigner.IdentityFor(Pki.Alice));
    private static readonly byte[] EcSignature = SignatureAlgorithms.Sign(Pki.Alice.PrivateKey, SignatureAndHashAlgorithm.EcdsaSha256, EcInput);

    [Trait("Category", TestCategory.Long)]
    [Property(MaxTest = 200)]
    public bool Changing_any_byte_of_the_signed_input_fails_RSA_verification(NonNegativeInt index, byte flip) =>
        Tampered(Pki.Carol, SignatureAndHashAlgorithm.RsaSha256, RsaInput, RsaSignature, index.Get, flip);

    [Property(MaxTest = 200)]
    public bool Changing_any_byte_of_the_signed_input_fails_ECDSA_verification(NonNegativeInt index, byte flip) =>
        Tampered(Pki.Alice, SignatureAndHashAlgorithm.EcdsaSha256, EcInput, EcSignature, index.Get, flip);

    private static bool Tampered(Identity who, SignatureAndHashAlgorithm algorithm, byte[] input, byte[] signature, int index, byte flip)
    {
        var publicKey = who.Certificate.Certificate.GetPublicKey();
        if (SignatureAlgorithms.Verify(publicKey, algorithm, input, signature) is not null) return false; // the untouched input verifies
        var changed = (byte[])input.Clone();
        changed[index % changed.Length] ^= flip == 0 ? (byte)0x01 : flip;
        return SignatureAlgorithms.Verify(publicKey, algorithm, changed, signature) is not null;
    }

    [Property(MaxTest = 100)]
    public bool Changing_any_byte_of_the_signature_value_fails_verification(NonNegativeInt index, byte flip)
    {
        var changed = (byte[])EcSignature.Clone();
        changed[index.Get % changed.Length] ^= flip == 0 ? (byte)0x01 : flip;
        return SignatureAlgorithms.Verify(Pki.Alice.Certificate.Certificate.GetPublicKey(), SignatureAndHashAlgorithm.EcdsaSha256, EcInput, changed) is not null;
    }

    [Fact]
    public void StoredData_signatures_cover_resource_kind_time_and_value()
    {
        byte[] resource = [1, 2, 3, 4];
        var data = new P2psip.Messages.Storage.StoredData(1000, 60,
            new P2psip.Messages.Storage.SingleValueEntry(P2psip.Messages.Storage.DataValue.Of(new byte[] { 0xAA, 0xBB })), null);
        var signed = MessageSigner.SignStoredData(Pki.Alice, resource, 1, data);
        var bucket = new[] { new P2psip.Wire.Opaque(Pki.Alice.Certificate.Der) };
        Assert.True(MessageSigner.VerifyStoredData(resource, 1, signed, bucket).Valid);
        Assert.False(MessageSigner.VerifyStoredData(new byte[] { 1, 2, 3, 5 }, 1, signed, bucket).Valid);
        Assert.False(MessageSigner.VerifyStoredData(resource, 2, signed, bucket).Valid);
        Assert.False(MessageSigner.VerifyStoredData(resource, 1, signed with { StorageTime = 1001 }, bucket).Valid);
        Assert.False(MessageSigner.VerifyStoredData(resource, 1,
            signed with { Value = new P2psip.Messages.Storage.SingleValueEntry(P2psip.Messages.Storage.DataValue.Of(new byte[] { 0xAA, 0xBC })) }, bucket).Valid);
        // The input is StoredDataSignature.Input: the Resource-ID's raw bytes, no length prefix (§7.1).
        var input = P2psip.Messages.Storage.StoredDataSignature.Input(resource, 1, signed, signed.Signature!.Identity);
        Assert.Null(SignatureAlgorithms.Verify(Pki.Alice.Certificate.Certificate.GetPublicKey(), signed.Signature.Algorithm, input, signed.Signature.Value.Span));
    }
}
