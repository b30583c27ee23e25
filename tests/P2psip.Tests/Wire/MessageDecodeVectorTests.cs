using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Wire;
using static P2psip.Tests.Wire.MessageVectors;

namespace P2psip.Tests.Wire;

/// <summary>Labelled hex vectors for the message frame: header, contents, security block (§6.3).</summary>
public class MessageDecodeVectorTests
{
    private static readonly Opaque NodeId = Opaque.FromHex("000102030405060708090a0b0c0d0e0f");

    [Fact]
    public void Minimal_error_message_decodes_field_by_field_and_encodes_back()
    {
        var bytes = Hex.Bytes(Message());
        Assert.Equal(79, bytes.Length);
        var result = ReloadCodec.Decode(bytes);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        var m = result.Value;
        Assert.Equal(0x12345678u, m.Header.Overlay);
        Assert.Equal((ushort)1, m.Header.ConfigurationSequence);
        Assert.Equal((byte)100, m.Header.Ttl);
        Assert.True(m.Header.IsLastFragment);
        Assert.Equal(0x0102030405060708ul, m.Header.TransactionId);
        Assert.Equal([new NodeDestination(NodeId)], m.Header.DestinationList);
        Assert.Empty(m.Header.ViaList);
        Assert.Equal(new ErrorResponse(ErrorCodes.NotFound, Opaque.Empty), m.Body);
        Assert.Equal(SecurityBlock.Unsigned, m.Security);
        Assert.Equal(Hex.Of(bytes), Hex.Of(ReloadCodec.Encode(m)));
    }

    public static TheoryData<string, string, Destination> Destinations => new()
    {
        { "Node", NodeDest, new NodeDestination(NodeId) },
        // ResourceId "FOO" is the RFC's own example (§6.3.1.1): 03 46 4f 4f, inside type resource(2), length 4.
        { "ResourceFoo", "02 04 03464f4f", new ResourceDestination(Opaque.Utf8("FOO")) },
        { "OpaqueIdTlv", "03 03 02 abcd", new OpaqueIdDestination(Opaque.FromHex("abcd")) },
        { "Compressed", "8123", new CompressedDestination(0x8123) },
        { "UnknownTypeKept", "07 02 beef", new UnknownDestination(7, Opaque.FromHex("beef")) },
    };

    [Theory, MemberData(nameof(Destinations))]
    public void Destination_forms_decode_and_encode_back(string label, string destinationHex, Destination expected)
    {
        var bytes = Hex.Bytes(Message(via: destinationHex, destinations: destinationHex));
        var result = ReloadCodec.Decode(bytes);
        Assert.True(result.IsSuccess, $"{label}: {result.Error}");
        Assert.Equal(expected, Assert.Single(result.Value.Header.ViaList));
        Assert.Equal(expected, Assert.Single(result.Value.Header.DestinationList));
        Assert.Equal(Hex.Of(bytes), Hex.Of(ReloadCodec.Encode(result.Value)));
    }

    [Fact]
    public void Forwarding_option_and_extension_decode()
    {
        var bytes = Hex.Bytes(Message(
            options: "01 05 0002 cafe",
            contents: "ffff 00000004 0003 0000 0000000a 0102 01 00000003 616263"));
        var result = ReloadCodec.Decode(bytes);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        var option = Assert.Single(result.Value.Header.Options);
        Assert.Equal(new ForwardingOption(1, 0x05, Opaque.FromHex("cafe")), option);
        Assert.True(option.IsForwardCritical && option.IsResponseCopy && !option.IsDestinationCritical);
        Assert.Equal(new MessageExtension(0x0102, true, Opaque.Utf8("abc")), Assert.Single(result.Value.Contents.Extensions));
        Assert.Equal(Hex.Of(bytes), Hex.Of(ReloadCodec.Encode(result.Value)));
    }

    [Fact]
    public void Signed_security_block_with_certificate_decodes()
    {
        var security = "0006 00 0003 a1a2a3 | 04 01 | 01 0005 04 03 b1b2b3 | 0002 c1c2";
        var result = ReloadCodec.Decode(Hex.Bytes(Message(security: security)));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        var block = result.Value.Security;
        Assert.Equal(GenericCertificate.OfX509(Opaque.FromHex("a1a2a3")), Assert.Single(block.Certificates));
        Assert.Equal(SignatureAndHashAlgorithm.RsaSha256, block.Signature.Algorithm);
        Assert.Equal(SignerIdentity.OfCertHash(Opaque.FromHex("b1b2b3")), block.Signature.Identity);
        Assert.Equal(Opaque.FromHex("c1c2"), block.Signature.Value);
    }

    /// <summary>
    /// One row per rejection rule: the label, the bytes, and where the decoder must say the problem is.
    /// Offsets: header fields at their fixed places (token 0, version 10, fragment 12, length 16,
    /// via_list_length 32, destination_list_length 34); the destination list starts at 38, the
    /// contents at 56 and the security block at 70 in the minimal message.
    /// </summary>
    public static TheoryData<string, string, string, int> Rejections => new()
    {
        { "WrongToken", Message(token: "d2454c50"), "forwarding_header.relo_token", 0 },
        { "Version01", Message(version: "01"), "forwarding_header.version", 10 },
        { "FragmentHighBitClear", Message(fragment: "40000000"), "forwarding_header.fragment", 12 },
        { "LengthTooLarge", Message(length: 84), "forwarding_header.length", 16 },
        { "LengthTooSmall", Message(length: 82), "forwarding_header.length", 16 },
        { "ViaListRunsPast", Message(viaLength: 0x4000), "forwarding_header.via_list", 32 },
        { "DestinationListNotWhole", Message(destinations: NodeDest + " 01"), "forwarding_header.destination_list[1].length", 57 },
        { "InvalidDestinationType0", Message(destinations: "00 00"), "forwarding_header.destination_list[0].type", 38 },
        { "NodeIdWrongLength", Message(destinations: "01 0f 000102030405060708090a0b0c0d0e"), "forwarding_header.destination_list[0].destination_data", 39 },
        { "ResourceIdRunsPast", Message(destinations: "02 04 05464f4f"), "forwarding_header.destination_list[0].destination_data.resource_id", 40 },
        { "ResourceIdLeftover", Message(destinations: "02 05 03464f4f00"), "forwarding_header.destination_list[0].destination_data", 44 },
        { "OptionType0", Message(options: "00 00 0000"), "forwarding_header.options[0].type", 56 },
        { "OptionValueRunsPast", Message(options: "01 00 0005 00"), "forwarding_header.options[0].option", 58 },
        { "MessageCode0", Message(contents: "0000 00000000 00000000"), "message_contents.message_code", 56 },
        { "BodyLengthRunsPast", Message(contents: "ffff 00000040 0003 0000 00000000"), "message_contents.message_body", 58 },
        { "BodyLeftover", Message(contents: "ffff 00000005 0003 0000 ee 00000000"), "message_contents.message_body", 66 },
        { "ErrorCode0", Message(contents: "ffff 00000004 0000 0000 00000000"), "message_contents.message_body.error.error_code", 62 },
        { "ExtensionCriticalNot01", Message(contents: "ffff 00000004 0003 0000 00000007 0102 02 00000000"), "message_contents.extensions[0].critical", 72 },
        { "ExtensionType0", Message(contents: "ffff 00000004 0003 0000 00000007 0000 00 00000000"), "message_contents.extensions[0].type", 70 },
        { "CertificatesRunPast", Message(security: "0040 00 0003 a1a2a3 00 00 03 0000 0000"), "security_block.certificates", 70 },
        { "SignerIdentityType0", Message(security: "0000 00 00 00 0000 0000"), "security_block.signature.identity.identity_type", 74 },
        { "SignerNoneWithValue", Message(security: "0000 00 00 03 0001 ff 0000"), "security_block.signature.identity.identity", 77 },
        { "CertHashRunsPast", Message(security: "0000 04 01 01 0003 04 09 aa 0000"), "security_block.signature.identity.identity.certificate_hash", 78 },
        { "SignatureValueRunsPast", Message(security: "0000 00 00 03 0000 0005 00"), "security_block.signature.signature_value", 77 },
        { "TrailingBytes", Message(trailer: "00"), "message", 79 },
        { "Truncated", Hex.Of(Hex.Bytes(Message(length: 79)).AsSpan(0, 40)), "forwarding_header.length", 16 },
    };

    [Theory, MemberData(nameof(Rejections))]
    public void Each_rejection_rule_names_field_and_offset(string label, string hex, string fieldPath, int offset)
    {
        var result = ReloadCodec.Decode(Hex.Bytes(hex));
        Assert.False(result.IsSuccess, $"{label} decoded");
        Assert.Equal(fieldPath, result.Error.FieldPath);
        Assert.Equal(offset, result.Error.Offset);
        Assert.StartsWith("6.", result.Error.RfcSection.Replace("14.", "6.", StringComparison.Ordinal));
    }

    [Fact]
    public void Error_text_has_path_offset_reason_and_section()
    {
        var result = ReloadCodec.Decode(Hex.Bytes(Message(version: "01")));
        Assert.Equal("forwarding_header.version at offset 10: version must be 0x0a (1.0), got 0x1 (RFC 6940 §6.3.2)", result.Error!.ToString());
    }
}
