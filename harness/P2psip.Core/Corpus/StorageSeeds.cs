using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Corpus;

/// <summary>
/// One realistic, valid body per storage message code (§7.4), named by the RFC's code name: fuzz
/// seeds, round-trip fixtures and benchmark inputs. Node-IDs are 16 bytes (CHORD-RELOAD's default).
/// store_req is Alice's SIP registration (Kind SIP-REGISTRATION, route form) with an RSA-sized
/// StoredData signature, about 300 bytes.
/// </summary>
public static class StorageSeeds
{
    public const string Aor = "sip:alice@dht.example.com";

    /// <summary>The registering node (Alice's peer).</summary>
    public static Opaque AliceNodeId { get; } = Opaque.FromHex("a11ce0000000000000000000000000a1");

    private static readonly Opaque ReplicaOne = Opaque.FromHex("b0b0000000000000000000000000b0b1");
    private static readonly Opaque ReplicaTwo = Opaque.FromHex("ca1100000000000000000000000ca112");

    /// <summary>2023-11-14T22:13:20Z in milliseconds (§7: storage_time).</summary>
    private const ulong StorageTime = 1_700_000_000_000;
    private const uint OneDay = 86_400;

    /// <summary>A deterministic stand-in for an RSA signature value (128 bytes) and a SHA-256 certificate hash.</summary>
    private static Opaque Pattern(int length, byte seed)
    {
        var bytes = new byte[length];
        uint x = seed * 2654435761u + 1;
        for (int i = 0; i < bytes.Length; i++)
        {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            bytes[i] = (byte)x;
        }
        return bytes;
    }

    private static Signature AliceSignature(byte seed) =>
        new(SignatureAndHashAlgorithm.RsaSha256, SignerIdentity.OfCertHash(Pattern(32, 0xce)), Pattern(128, seed));

    public static SipRegistration AliceRegistration { get; } =
        new SipRegistrationRoute(Opaque.Utf8("+sip.audio=TRUE;+sip.video=TRUE"), [new NodeDestination(AliceNodeId)]);

    public static StoredData AliceRegistrationData { get; } =
        new(StorageTime, OneDay, AliceRegistration.ToEntry(AliceNodeId), AliceSignature(1));

    public static IEnumerable<(string Name, MessageBody Body)> All()
    {
        var aorResource = OverlayHash.SipAorResourceId(Aor);
        var certResource = OverlayHash.CertificateByNodeResourceId(AliceNodeId);

        yield return ("store_req", new StoreReq(aorResource, 0,
            [new StoreKindData(KindRegistry.SipRegistration, 0, [AliceRegistrationData])]));

        yield return ("store_ans", new StoreAns(
            [new StoreKindResponse(KindRegistry.SipRegistration, 1, [ReplicaOne, ReplicaTwo])]));

        yield return ("fetch_req", new FetchReq(aorResource,
            [new StoredDataSpecifier(KindRegistry.SipRegistration, 0, new DictionarySpecifier([])),
             new StoredDataSpecifier(KindRegistry.CertificateByUser, 0, new ArraySpecifier([ArrayRange.All]))]));

        // A value the peer never held comes back as exists = False with an empty signature (§7.4.2.2).
        var synthetic = new StoredData(0, 0, new DictionaryEntry(ReplicaOne, DataValue.Nonexistent), Signature.Unsigned);
        yield return ("fetch_ans", new FetchAns(
            [new FetchKindResponse(KindRegistry.SipRegistration, 1, [AliceRegistrationData, synthetic])]));

        yield return ("stat_req", new StatReq(certResource,
            [new StoredDataSpecifier(KindRegistry.CertificateByNode, 0, new ArraySpecifier([new ArrayRange(0, 1)])),
             new StoredDataSpecifier(KindRegistry.TurnService, 0, SingleValueSpecifier.Instance)]));

        var registrationValue = AliceRegistration.ToDataValue();
        yield return ("stat_ans", new StatAns(
            [new StatKindResponse(KindRegistry.SipRegistration, 1,
                [new StoredMetaData(StorageTime, OneDay, new DictionaryEntryMeta(AliceNodeId, MetaData.Of(registrationValue)))])]));

        yield return ("find_req", new FindReq(Pattern(16, 7), [KindRegistry.TurnService]));

        yield return ("find_ans", new FindAns(
            [new FindKindData(KindRegistry.TurnService, OverlayHash.ResourceId("turn-server-resource"))]));
    }
}
