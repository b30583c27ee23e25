using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Tests.Storage;

/// <summary>The typed Kind values: SipRegistration (RFC 7904), TurnServer (§9), certificates (§8).</summary>
public class KindValueTests
{
    private const string AliceNode = "0102030405060708090a0b0c0d0e0f10";

    // "sip:alice@example.com" is 21 bytes.
    private const string UriHex = "01 0017 0015 7369703a616c696365406578616d706c652e636f6d";
    // contact_prefs empty, destination_list of one node Destination (type 1, length 16).
    private const string RouteHex = "02 0016 0000 0012 01 10 " + AliceNode;

    public static TheoryData<string, string, SipRegistration> ValidRegistrations => new()
    {
        { "sip_registration_uri", UriHex, SipRegistrationUri.Of("sip:alice@example.com") },
        { "sip_registration_route", RouteHex, new SipRegistrationRoute(Opaque.Empty, [new NodeDestination(Opaque.FromHex(AliceNode))]) },
        {
            "sip_registration_route with contact_prefs and a compressed hop",
            "02 000b 0003 612c62 0004 8001 8002",
            new SipRegistrationRoute(Opaque.Utf8("a,b"), [new CompressedDestination(0x8001), new CompressedDestination(0x8002)])
        },
        { "unknown type kept whole", "07 0002 abcd", new UnknownSipRegistration(7, Opaque.FromHex("abcd")) },
    };

    [Theory]
    [MemberData(nameof(ValidRegistrations))]
    public void SipRegistration_vectors_decode_and_encode(string label, string hex, SipRegistration expected)
    {
        hex = hex.Replace(" ", "", StringComparison.Ordinal);
        var decoded = SipRegistration.Decode(Opaque.FromHex(hex));
        Assert.True(decoded.IsSuccess, $"{label}: {decoded.Error}");
        Assert.Equal(expected, decoded.Value);
        Assert.Equal(hex, Convert.ToHexStringLower(expected.Encode()));
    }

    [Theory]
    [InlineData("uri length runs past the registration", "01 0017 0016 7369703a616c696365406578616d706c652e636f6d", "data.uri", 3)]
    [InlineData("registration length runs past the value", "01 0018 0015 7369703a616c696365406578616d706c652e636f6d", "length", 1)]
    [InlineData("bytes left over after the uri", "01 0018 0015 7369703a616c696365406578616d706c652e636f6d 00", "data", 26)]
    [InlineData("invalid-0 DestinationType in the route", "02 0016 0000 0012 00 10 0102030405060708090a0b0c0d0e0f10", "data.destination_list[0].type", 7)]
    [InlineData("Node-ID of the wrong length in the route", "02 0015 0000 0011 01 0f 0102030405060708090a0b0c0d0e0f", "data.destination_list[0].destination_data", 8)]
    [InlineData("bytes left over after the registration", "07 0002 abcd ff", "value", 5)]
    [InlineData("empty value", "", "type", 0)]
    public void Invalid_SipRegistrations_are_rejected(string label, string hex, string path, int offset)
    {
        var decoded = SipRegistration.Decode(Opaque.FromHex(hex));
        Assert.False(decoded.IsSuccess, label);
        Assert.Equal(path, decoded.Error.FieldPath);
        Assert.Equal(offset, decoded.Error.Offset);
    }

    [Fact]
    public void A_registration_is_stored_as_the_dictionary_entry_of_the_registering_node()
    {
        var registration = SipRegistrationUri.Of("sip:alice@example.com");
        var entry = registration.ToEntry(Opaque.FromHex(AliceNode));
        Assert.Equal(Opaque.FromHex(AliceNode), entry.Key);
        Assert.True(entry.Value.Exists);
        Assert.Equal(Opaque.FromHex(UriHex.Replace(" ", "", StringComparison.Ordinal)), entry.Value.Value);
        Assert.Equal(registration, SipRegistration.Decode(entry.Value.Value).Value);
    }

    [Fact]
    public void TurnServer_vector_uses_the_RFC_address_example()
    {
        // IpAddressPort 192.0.2.1:6084 = 01 06 c0 00 02 01 17 c4 (the RFC's own example).
        var expected = new TurnServer(3, IpAddressPort.Parse("192.0.2.1:6084"));
        var decoded = TurnServer.Decode(Opaque.FromHex("03 01 06 c0000201 17c4"));
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(expected, decoded.Value);
        Assert.Equal("030106c000020117c4", Convert.ToHexStringLower(expected.Encode()));
    }

    [Theory]
    [InlineData("invalid-0 AddressType", "03 00 06 c0000201 17c4", "server_address.type", 1)]
    [InlineData("IPv4 length that is not 6", "03 01 05 c0000201 17", "server_address.length", 2)]
    [InlineData("truncated after iteration", "03", "server_address.type", 1)]
    [InlineData("empty", "", "iteration", 0)]
    public void Invalid_TurnServers_are_rejected(string label, string hex, string path, int offset)
    {
        var decoded = TurnServer.Decode(Opaque.FromHex(hex));
        Assert.False(decoded.IsSuccess, label);
        Assert.Equal(path, decoded.Error.FieldPath);
        Assert.Equal(offset, decoded.Error.Offset);
    }

    [Fact]
    public void Certificate_value_is_the_whole_DER_sequence()
    {
        var decoded = StoredCertificate.Decode(Opaque.FromHex("3003020105"));
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(Opaque.FromHex("3003020105"), decoded.Value.Der);
        Assert.False(decoded.Value.TryParseX509(out _));
        Assert.Equal(ArrayEntry.Append, decoded.Value.ToAppendEntry().Index);
    }

    [Theory]
    [InlineData("not a SEQUENCE", "3103020105", "tag", 0)]
    [InlineData("DER length short of the value", "3002020105", "length", 1)]
    [InlineData("indefinite length", "3080020105", "length", 1)]
    [InlineData("long-form length past the value", "30820100", "length", 1)]
    public void Invalid_certificate_framing_is_rejected(string label, string hex, string path, int offset)
    {
        var decoded = StoredCertificate.Decode(Opaque.FromHex(hex));
        Assert.False(decoded.IsSuccess, label);
        Assert.Equal(path, decoded.Error.FieldPath);
        Assert.Equal(offset, decoded.Error.Offset);
    }

    [Fact]
    public void A_real_certificate_parses_with_BouncyCastle()
    {
        var keys = new Org.BouncyCastle.Crypto.Generators.ECKeyPairGenerator();
        keys.Init(new Org.BouncyCastle.Crypto.Parameters.ECKeyGenerationParameters(
            Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, new Org.BouncyCastle.Security.SecureRandom()));
        var pair = keys.GenerateKeyPair();
        var generator = new Org.BouncyCastle.X509.X509V3CertificateGenerator();
        var name = new Org.BouncyCastle.Asn1.X509.X509Name("CN=alice");
        generator.SetSerialNumber(Org.BouncyCastle.Math.BigInteger.One);
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        generator.SetNotAfter(DateTime.UtcNow.AddDays(1));
        generator.SetPublicKey(pair.Public);
        var certificate = generator.Generate(new Org.BouncyCastle.Crypto.Operators.Asn1SignatureFactory("SHA256WITHECDSA", pair.Private));

        var value = StoredCertificate.Of(certificate).ToDataValue();
        var decoded = StoredCertificate.Decode(value.Value);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.True(decoded.Value.TryParseX509(out var parsed));
        Assert.Equal(certificate, parsed);
    }
}
