using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Tests.Storage;

/// <summary>StoreAns, FetchReq/FetchAns, StatReq/StatAns and FindReq/FindAns (§7.4.1.2–§7.4.4.2) as hand-written bytes.</summary>
public class AnswerAndQueryVectorTests
{
    private const ulong Time = 1_700_000_000_000; // 0x0000018bcfe56800
    private static readonly Opaque Foo = Opaque.Utf8("FOO");
    private static readonly Opaque NodeA = Opaque.FromHex("0102030405060708090a0b0c0d0e0f10");

    public static TheoryData<string, ushort, string, MessageBody> Valid => new()
    {
        {
            "store_ans with one replica", MessageCodes.StoreAns,
            "001e 00000001 0000000000000007 0010 0102030405060708090a0b0c0d0e0f10",
            new StoreAns([new StoreKindResponse(KindRegistry.SipRegistration, 7, [NodeA])])
        },
        {
            "store_ans empty", MessageCodes.StoreAns, "0000", new StoreAns([])
        },
        {
            "fetch_req with every model and an unknown Kind", MessageCodes.FetchReq,
            "03464f4f 004b" +
            "00000002 0000000000000000 0000" +                                  // single value: empty specifier
            "00000003 0000000000000001 000a 0008 00000000 ffffffff" +           // array: indices [0..final]
            "00000001 0000000000000000 0006 0004 0002 abcd" +                   // dictionary: keys [abcd]
            "00000063 0000000000000000 0003 010203",                            // unknown Kind 99: kept opaque
            new FetchReq(Foo,
            [
                new StoredDataSpecifier(KindRegistry.TurnService, 0, SingleValueSpecifier.Instance),
                new StoredDataSpecifier(KindRegistry.CertificateByNode, 1, new ArraySpecifier([ArrayRange.All])),
                new StoredDataSpecifier(KindRegistry.SipRegistration, 0, new DictionarySpecifier([Opaque.FromHex("abcd")])),
                new StoredDataSpecifier(99, 0, new UninterpretedSpecifier(Opaque.FromHex("010203"))),
            ])
        },
        {
            "fetch_ans with a single value", MessageCodes.FetchAns,
            "0000002f 00000002 0000000000000001 0000001f" +
            "0000001b 0000018bcfe56800 00015180 01 00000003 616263 0000 03 0000 0000",
            new FetchAns([new FetchKindResponse(KindRegistry.TurnService, 1,
                [new StoredData(Time, 86400, new SingleValueEntry(DataValue.Of(Opaque.Utf8("abc"))), Signature.Unsigned)])])
        },
        {
            "stat_req for a single value", MessageCodes.StatReq,
            "03464f4f 000e 00000002 0000000000000000 0000",
            new StatReq(Foo, [new StoredDataSpecifier(KindRegistry.TurnService, 0, SingleValueSpecifier.Instance)])
        },
        {
            "stat_ans with a dictionary entry's metadata", MessageCodes.StatAns,
            "0000002d 00000001 0000000000000001 0000001d" +
            "00000019 0000018bcfe56800 00015180" +            // value_length (structure length 25), storage_time, lifetime
            "0002 abcd 01 00000003 04 02 1122",                // key, exists, value_length 3, sha256, hash_value
            new StatAns([new StatKindResponse(KindRegistry.SipRegistration, 1,
                [new StoredMetaData(Time, 86400, new DictionaryEntryMeta(Opaque.FromHex("abcd"), new MetaData(true, 3, SignatureAndHashAlgorithm.HashSha256, Opaque.FromHex("1122"))))])])
        },
        {
            "stat_ans of an unknown Kind keeps the metadata opaque", MessageCodes.StatAns,
            "00000022 00000063 0000000000000001 00000012 0000000e 0000018bcfe56800 00000000 beef",
            new StatAns([new StatKindResponse(99, 1, [new StoredMetaData(Time, 0, new UninterpretedMeta(Opaque.FromHex("beef")))])])
        },
        {
            "find_req for two Kinds", MessageCodes.FindReq,
            "03464f4f 08 00000001 00000002",
            new FindReq(Foo, [KindRegistry.SipRegistration, KindRegistry.TurnService])
        },
        {
            "find_ans with one result and one unknown (0)", MessageCodes.FindAns,
            "000f 00000002 04 01020304 00000010 01 00",
            new FindAns([new FindKindData(KindRegistry.TurnService, Opaque.FromHex("01020304")), new FindKindData(KindRegistry.CertificateByUser, Opaque.FromHex("00"))])
        },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_vectors_decode_and_encode(string label, ushort code, string hex, MessageBody expected)
    {
        Assert.NotEmpty(label);
        BodyCodec.AssertValid(code, hex, expected);
    }

    [Theory]
    [InlineData("replicas length not a whole number of 16-byte Node-IDs", MessageCodes.StoreAns, 16,
        "001d 00000001 0000000000000007 000f 0102030405060708090a0b0c0d0e0f", "kind_responses[0].replicas", 16)]
    [InlineData("16-byte replica in a 20-byte Node-ID overlay", MessageCodes.StoreAns, 20,
        "001e 00000001 0000000000000007 0010 0102030405060708090a0b0c0d0e0f10", "kind_responses[0].replicas", 16)]
    [InlineData("replicas length runs past the StoreKindResponse", MessageCodes.StoreAns, 16,
        "001e 00000001 0000000000000007 0020 0102030405060708090a0b0c0d0e0f10", "kind_responses[0].replicas", 14)]
    [InlineData("ArrayRange list not a whole number of 8-byte ranges", MessageCodes.FetchReq, 16,
        "03464f4f 0017 00000003 0000000000000000 0009 0007 00000000 ffffff", "specifiers[0].model_specifier.indices", 22)]
    [InlineData("bytes left over after a single-value specifier", MessageCodes.FetchReq, 16,
        "03464f4f 000f 00000002 0000000000000000 0001 00", "specifiers[0].model_specifier", 20)]
    [InlineData("specifier length runs past the specifiers", MessageCodes.FetchReq, 16,
        "03464f4f 000e 00000002 0000000000000000 0001", "specifiers[0].length", 18)]
    [InlineData("dictionary key runs past its list", MessageCodes.StatReq, 16,
        "03464f4f 0014 00000001 0000000000000000 0006 0004 0003 abcd", "specifiers[0].model_specifier.keys[0].length", 22)]
    [InlineData("Boolean 2 in MetaData.exists", MessageCodes.StatAns, 16,
        "0000002d 00000001 0000000000000001 0000001d 00000019 0000018bcfe56800 00015180 0002 abcd 02 00000003 04 02 1122",
        "kind_responses[0].values[0].metadata.dictionary_entry.value.exists", 40)]
    [InlineData("bytes left over inside StoredMetaData's value_length", MessageCodes.StatAns, 16,
        "0000002e 00000001 0000000000000001 0000001e 0000001a 0000018bcfe56800 00015180 0002 abcd 01 00000003 04 02 1122 ff",
        "kind_responses[0].values[0].value_length", 49)]
    [InlineData("Boolean 2 in DataValue.exists of a fetch_ans", MessageCodes.FetchAns, 16,
        "0000002f 00000002 0000000000000001 0000001f 0000001b 0000018bcfe56800 00015180 02 00000003 616263 0000 03 0000 0000",
        "kind_responses[0].values[0].value.single_value_entry.exists", 36)]
    [InlineData("Kind-ID list not a whole number of 4-byte ids", MessageCodes.FindReq, 16,
        "03464f4f 03 000001", "kinds", 5)]
    [InlineData("closest runs past the results", MessageCodes.FindAns, 16,
        "0009 00000002 05 01020304", "results[0].closest", 6)]
    public void Invalid_vectors_are_rejected_at_the_field(string label, ushort code, int nodeIdLength, string hex, string path, int offset)
    {
        var error = BodyCodec.AssertInvalid(code, hex, path, offset, new DecodeOptions { NodeIdLength = nodeIdLength });
        Assert.False(string.IsNullOrEmpty(error.Reason), label);
    }
}
