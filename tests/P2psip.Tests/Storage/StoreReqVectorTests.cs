using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Tests.Storage;

/// <summary>StoreReq, StoreKindData, StoredData and StoredDataValue (§7, §7.2, §7.4.1.1) as hand-written bytes.</summary>
public class StoreReqVectorTests
{
    private const ulong Time = 1_700_000_000_000; // 0x0000018bcfe56800
    private static readonly Signature NoSignature = Signature.Unsigned; // 00 00 | 03 0000 | 0000

    // resource "FOO" | replica_number 0 | kind_data length | kind | generation_counter 5 | values length | StoredData...
    private const string SingleValueHex =
        "03464f4f 00 0000002f" +
        "00000002 0000000000000005 0000001f" +
        "0000001b 0000018bcfe56800 00015180" +   // StoredData length 27, storage_time, lifetime 86400
        "01 00000003 616263" +                   // single_value_entry: exists, value "abc"
        "0000 03 0000 0000";                     // signature: algorithm {0,0}, identity none, no value

    public static TheoryData<string, string, MessageBody> Valid => new()
    {
        {
            "single value (TURN-SERVICE)", SingleValueHex,
            new StoreReq(Opaque.Utf8("FOO"), 0,
                [new StoreKindData(KindRegistry.TurnService, 5, [new StoredData(Time, 86400, new SingleValueEntry(DataValue.Of(Opaque.Utf8("abc"))), NoSignature)])])
        },
        {
            "array entry (CERTIFICATE_BY_NODE)",
            "03464f4f 01 00000033" +
            "00000003 0000000000000000 00000023" +
            "0000001f 0000018bcfe56800 00000e10" +
            "ffffffff 01 00000003 300100" +          // array_entry: index append, exists, value
            "0000 03 0000 0000",
            new StoreReq(Opaque.Utf8("FOO"), 1,
                [new StoreKindData(KindRegistry.CertificateByNode, 0, [new StoredData(Time, 3600, new ArrayEntry(ArrayEntry.Append, DataValue.Of(Opaque.FromHex("300100"))), NoSignature)])])
        },
        {
            "dictionary entry (SIP-REGISTRATION), removed value",
            "00 00 00000036" +
            "00000001 0000000000000009 00000026" +
            "00000022 0000018bcfe56800 00000000" +
            "0002 abcd 00 00000000" +                 // dictionary_entry: key abcd, exists false, empty
            "0401 01 0004 04 02 ee01 0002 5151",       // rsa/sha256, cert_hash sha256 "ee01", value 5151
            new StoreReq(Opaque.Empty, 0,
                [new StoreKindData(KindRegistry.SipRegistration, 9, [new StoredData(Time, 0, new DictionaryEntry(Opaque.FromHex("abcd"), DataValue.Nonexistent),
                    new Signature(SignatureAndHashAlgorithm.RsaSha256, SignerIdentity.OfCertHash(Opaque.FromHex("ee01")), Opaque.FromHex("5151")))])])
        },
        {
            "unknown kind: value and signature kept opaque",
            "03464f4f 00 00000024" +
            "00000063 0000000000000001 00000014" +
            "00000010 0000018bcfe56800 0000003c deadbeef",
            new StoreReq(Opaque.Utf8("FOO"), 0,
                [new StoreKindData(99, 1, [StoredData.Uninterpreted(Time, 60, Opaque.FromHex("deadbeef"))])])
        },
        {
            "two kinds, no values",
            "03464f4f 00 00000020" +
            "00000001 0000000000000000 00000000" +
            "00000010 0000000000000000 00000000",
            new StoreReq(Opaque.Utf8("FOO"), 0,
                [new StoreKindData(KindRegistry.SipRegistration, 0, []), new StoreKindData(KindRegistry.CertificateByUser, 0, [])])
        },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_vectors_decode_and_encode(string label, string hex, MessageBody expected)
    {
        Assert.NotEmpty(label);
        BodyCodec.AssertValid(MessageCodes.StoreReq, hex, expected);
    }

    [Theory]
    // Offsets: resource 0-3, replica 4, kind_data length 5-8, kind 9-12, generation 13-20, values length 21-24,
    // StoredData length 25-28, storage_time 29-36, lifetime 37-40, value from 41.
    [InlineData("Boolean 2 in exists",
        "03464f4f 00 0000002f 00000002 0000000000000005 0000001f 0000001b 0000018bcfe56800 00015180 02 00000003 616263 0000 03 0000 0000",
        "kind_data[0].values[0].value.single_value_entry.exists", 41)]
    [InlineData("data model mismatch: single-value bytes under the dictionary Kind 1",
        "03464f4f 00 0000002f 00000001 0000000000000005 0000001f 0000001b 0000018bcfe56800 00015180 01 00000003 616263 0000 03 0000 0000",
        "kind_data[0].values[0].value.dictionary_entry.key", 41)]
    [InlineData("leftover byte inside StoredData's length",
        "03464f4f 00 00000030 00000002 0000000000000005 00000020 0000001c 0000018bcfe56800 00015180 01 00000003 616263 0000 03 0000 0000 00",
        "kind_data[0].values[0].length", 56)]
    [InlineData("StoredData length runs past values",
        "03464f4f 00 0000002f 00000002 0000000000000005 0000001f 0000001c 0000018bcfe56800 00015180 01 00000003 616263 0000 03 0000 0000",
        "kind_data[0].values[0].length", 25)]
    [InlineData("DataValue length runs past StoredData",
        "03464f4f 00 0000002f 00000002 0000000000000005 0000001f 0000001b 0000018bcfe56800 00015180 01 00000100 616263 0000 03 0000 0000",
        "kind_data[0].values[0].value.single_value_entry.value", 42)]
    [InlineData("values length runs past kind_data",
        "03464f4f 00 0000002f 00000002 0000000000000005 00000020 0000001b 0000018bcfe56800 00015180 01 00000003 616263 0000 03 0000 0000",
        "kind_data[0].values", 21)]
    [InlineData("invalid-0 SignerIdentityType in the StoredData signature",
        "03464f4f 00 0000002f 00000002 0000000000000005 0000001f 0000001b 0000018bcfe56800 00015180 01 00000003 616263 0000 00 0000 0000",
        "kind_data[0].values[0].signature.identity.identity_type", 51)]
    [InlineData("truncated generation_counter",
        "03464f4f 00 00000008 00000002 00000000",
        "kind_data[0].generation_counter", 13)]
    public void Invalid_vectors_are_rejected_at_the_field(string label, string hex, string path, int offset)
    {
        var error = BodyCodec.AssertInvalid(MessageCodes.StoreReq, hex, path, offset);
        Assert.False(string.IsNullOrEmpty(error.Reason), label);
    }

    [Fact]
    public void A_Kind_registered_with_an_unknown_data_model_stays_opaque()
    {
        var options = new DecodeOptions { Kinds = KindRegistry.Default.With(99, (DataModel)7) };
        BodyCodec.AssertValid(MessageCodes.StoreReq,
            "03464f4f 00 00000024 00000063 0000000000000001 00000014 00000010 0000018bcfe56800 0000003c deadbeef",
            new StoreReq(Opaque.Utf8("FOO"), 0, [new StoreKindData(99, 1, [StoredData.Uninterpreted(Time, 60, Opaque.FromHex("deadbeef"))])]),
            options);
    }

    [Fact]
    public void A_private_Kind_registered_in_the_options_is_read_with_its_model()
    {
        var options = new DecodeOptions { Kinds = KindRegistry.Default.With(99, DataModel.SingleValue) };
        BodyCodec.AssertValid(MessageCodes.StoreReq,
            "03464f4f 00 0000002f 00000063 0000000000000005 0000001f 0000001b 0000018bcfe56800 00015180 01 00000003 616263 0000 03 0000 0000",
            new StoreReq(Opaque.Utf8("FOO"), 0, [new StoreKindData(99, 5, [new StoredData(Time, 86400, new SingleValueEntry(DataValue.Of(Opaque.Utf8("abc"))), NoSignature)])]),
            options);
    }
}
