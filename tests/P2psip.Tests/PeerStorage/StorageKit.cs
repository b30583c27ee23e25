using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Overlay;
using P2psip.Peer;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Tests.Security;
using P2psip.Tests.Wire;
using P2psip.Wire;

namespace P2psip.Tests.PeerStorage;

/// <summary>
/// What the storage-engine tests share: the test PKI's identities (made once per run), an overlay
/// configuration with the default Kinds plus private ones for the other policies, and builders for
/// signed values and request contexts. Every request goes through the codec (encode, decode) before
/// the engine sees it, as it would on a link.
/// </summary>
internal static class StorageKit
{
    public const uint PrivateSingle = 4000;      // SINGLE, USER-MATCH, max-size 100
    public const uint PrivateMultiple = 4001;    // DICTIONARY, NODE-MULTIPLE, max-node-multiple 3
    public const uint PrivateOpen = 4002;        // SINGLE, NODE-MATCH, large limits (the flood Kind)

    public static TestPki Pki => TestPki.Shared;
    public static Identity Alice => Pki.Alice;
    public static Identity Bob => Pki.Bob;

    /// <summary>A time inside the test certificates' validity.</summary>
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public static readonly Opaque LocalNodeId = Enumerable.Repeat((byte)0x77, 16).ToArray();

    public static OverlayConfiguration Configuration { get; } = new()
    {
        InstanceName = TestPki.Overlay,
        RequiredKinds =
        [
            KindDefinition.SipRegistration, KindDefinition.CertificateByNode, KindDefinition.CertificateByUser,
            new KindDefinition { Id = PrivateSingle, DataModel = "SINGLE", AccessControl = "USER-MATCH", MaxCount = 1, MaxSize = 100 },
            new KindDefinition { Id = PrivateMultiple, DataModel = "DICTIONARY", AccessControl = "NODE-MULTIPLE", MaxCount = 4, MaxSize = 100, MaxNodeMultiple = 3 },
            new KindDefinition { Id = PrivateOpen, DataModel = "SINGLE", AccessControl = "NODE-MATCH", MaxCount = 1, MaxSize = 1000 },
        ],
    };

    public static StorageEngine Engine(DefenceSwitches? defences = null, StorageLimits? limits = null, IStorageResponsibility? responsibility = null) =>
        new(Configuration, defences ?? DefenceSwitches.AllOn, limits, responsibility);

    /// <summary>The decoder options of a peer running this configuration (private Kinds known).</summary>
    public static DecodeOptions Options { get; } = new() { Kinds = Engine().Registry };

    public static StorageRequest From(Identity requester, DateTimeOffset? now = null) =>
        new(requester.Certificate, requester.NodeId, [requester.Certificate.Der], now ?? T0, LocalNodeId);

    /// <summary>A request from <paramref name="requester"/> whose certificate bucket also carries <paramref name="other"/>'s certificate.</summary>
    public static StorageRequest From(Identity requester, Identity other, DateTimeOffset? now = null) =>
        new(requester.Certificate, requester.NodeId, [requester.Certificate.Der, other.Certificate.Der], now ?? T0, LocalNodeId);

    /// <summary>Error_Forbidden for the reason of the access-control policy (not a signature or anything else).</summary>
    public static ErrorResponse RefusedByPolicy(MessageBody answer)
    {
        var error = Refused(answer, ErrorCodes.Forbidden);
        Assert.Contains("may not write", System.Text.Encoding.UTF8.GetString(error.ErrorInfo.Span), StringComparison.Ordinal);
        return error;
    }

    public static ulong Ms(DateTimeOffset t) => (ulong)t.ToUnixTimeMilliseconds();

    public static StoredData Signed(Identity signer, Opaque resource, uint kind, StoredDataValue value, ulong storageTime, uint lifetime = 3600) =>
        MessageSigner.SignStoredData(signer, resource, kind, new StoredData(storageTime, lifetime, value, null));

    public static StoreReq StoreOf(Opaque resource, uint kind, params StoredData[] values) => new(resource, 0, [new StoreKindData(kind, 0, values)]);

    public static StoreReq StoreOf(Opaque resource, uint kind, ulong generation, params StoredData[] values) => new(resource, 0, [new StoreKindData(kind, generation, values)]);

    /// <summary>Encodes the body in a whole message and decodes it again, as a peer receives it.</summary>
    public static T OverTheWire<T>(T body) where T : MessageBody
    {
        var decoded = ReloadCodec.Decode(ReloadCodec.Encode(MessageRoundTripTests.Sample(body)), Options);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        return Assert.IsType<T>(decoded.Value!.Contents.Body);
    }

    public static MessageBody Send(StorageEngine engine, MessageBody body, StorageRequest context) =>
        engine.Handle(body switch
        {
            StoreReq s => OverTheWire(s),
            FetchReq f => OverTheWire(f),
            StatReq s => OverTheWire(s),
            FindReq f => OverTheWire(f),
            _ => body,
        }, context);

    public static StoreAns Stored(MessageBody answer) =>
        answer is ErrorResponse e ? throw new Xunit.Sdk.XunitException($"expected a StoreAns, got {e.ErrorName}: {System.Text.Encoding.UTF8.GetString(e.ErrorInfo.Span)}") : Assert.IsType<StoreAns>(answer);

    public static ErrorResponse Refused(MessageBody answer, ushort code)
    {
        var error = Assert.IsType<ErrorResponse>(answer);
        Assert.True(error.ErrorCode == code, $"expected {ErrorCodes.NameOf(code)}, got {error.ErrorName}: {System.Text.Encoding.UTF8.GetString(error.ErrorInfo.Span)}");
        return error;
    }

    public static FetchReq FetchOf(Opaque resource, uint kind, ModelSpecifier specifier, ulong generation = 0) =>
        new(resource, [new StoredDataSpecifier(kind, generation, specifier)]);

    public static FetchKindResponse Fetched(StorageEngine engine, Opaque resource, uint kind, ModelSpecifier specifier, DateTimeOffset? now = null, ulong generation = 0)
    {
        var answer = Send(engine, FetchOf(resource, kind, specifier, generation), From(Alice, now));
        if (answer is ErrorResponse e) throw new Xunit.Sdk.XunitException($"fetch refused: {e.ErrorName}");
        return Assert.Single(Assert.IsType<FetchAns>(answer).KindResponses);
    }

    /// <summary>The bytes of a StoredData as they go on the wire (for byte-for-byte comparisons).</summary>
    public static byte[] Bytes(StoredData data)
    {
        var w = new WireWriter(128);
        data.Write(w);
        return w.ToArray();
    }

    public static DictionaryEntry Entry(Opaque key, string value) => new(key, DataValue.Of(Opaque.Utf8(value)));
    public static SingleValueEntry Single(string value) => new(DataValue.Of(Opaque.Utf8(value)));
    public static ArrayEntry Element(uint index, string value) => new(index, DataValue.Of(Opaque.Utf8(value)));

    public static Opaque UserResource(Identity identity, uint kind) => AccessControl.UserResourceId(kind, identity.UserName!);
    public static Opaque NodeResource(Identity identity) => OverlayHash.CertificateByNodeResourceId(identity.NodeId);
}
