using System.Security.Cryptography;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Peer.Storage;
using P2psip.Wire;
using static P2psip.Tests.PeerStorage.StorageKit;

namespace P2psip.Tests.PeerStorage;

/// <summary>Fetch variants (§7.4.2), Stat (§7.4.3) and Find (§7.4.4).</summary>
public class FetchStatFindTests
{
    private static readonly Opaque Certs = UserResource(Alice, KindRegistry.CertificateByUser);

    private static StorageEngine EngineWithArray(params (uint Index, string Text)[] elements)
    {
        var engine = Engine(P2psip.Peer.DefenceSwitches.AllOn.Disable(P2psip.Peer.DefenceSwitches.Quotas));
        ulong t = Ms(T0);
        foreach (var (index, text) in elements)
            Stored(Send(engine, StoreOf(Certs, KindRegistry.CertificateByUser, Signed(Alice, Certs, KindRegistry.CertificateByUser, Element(index, text), ++t)), From(Alice)));
        return engine;
    }

    private static string Describe(StoredData data) => data.Value switch
    {
        ArrayEntry a => $"{a.Index}:{(a.Value.Exists ? System.Text.Encoding.UTF8.GetString(a.Value.Value.Span) : "-")}",
        DictionaryEntry d => $"{d.Key.ToHex()}:{(d.Value.Exists ? System.Text.Encoding.UTF8.GetString(d.Value.Value.Span) : "-")}",
        SingleValueEntry s => s.Value.Exists ? System.Text.Encoding.UTF8.GetString(s.Value.Value.Span) : "-",
        _ => "?",
    };

    [Fact]
    public void Array_ranges_return_held_values_and_nonexistent_gaps()
    {
        var engine = EngineWithArray((0, "a"), (2, "c"), (ArrayEntry.Append, "d"));
        var all = Fetched(engine, Certs, KindRegistry.CertificateByUser, new ArraySpecifier([ArrayRange.All]));
        Assert.Equal(["0:a", "1:-", "2:c", "3:d"], all.Values.Select(Describe));
        // The gap is synthetic: unsigned, identity none (§7.4.2.2); the appended value carries the index it landed at.
        Assert.Equal(Signature.Unsigned, all.Values[1].Signature);
        Assert.True(P2psip.Security.MessageSigner.VerifyStoredData(Certs, KindRegistry.CertificateByUser, all.Values[3], [Alice.Certificate.Der]).Valid);

        var two = Fetched(engine, Certs, KindRegistry.CertificateByUser, new ArraySpecifier([new ArrayRange(3, ArrayRange.Final), new ArrayRange(0, 0)]));
        Assert.Equal(["3:d", "0:a"], two.Values.Select(Describe));
        Assert.Empty(Fetched(engine, Certs, KindRegistry.CertificateByUser, new ArraySpecifier([new ArrayRange(7, 9)])).Values);
    }

    [Fact]
    public void Backward_or_overlapping_ranges_are_refused()
    {
        var engine = EngineWithArray((0, "a"));
        Refused(Send(engine, FetchOf(Certs, KindRegistry.CertificateByUser, new ArraySpecifier([new ArrayRange(2, 1)])), From(Alice)), ErrorCodes.InvalidMessage);
        Refused(Send(engine, FetchOf(Certs, KindRegistry.CertificateByUser, new ArraySpecifier([new ArrayRange(0, 5), new ArrayRange(5, 6)])), From(Alice)), ErrorCodes.InvalidMessage);
    }

    [Fact]
    public void Dictionary_fetch_by_keys_and_by_wildcard()
    {
        var engine = Engine();
        var resource = AccessControl.NodeMultipleResourceId(Alice.NodeId, 1);
        Stored(Send(engine, StoreOf(resource, PrivateMultiple, Signed(Alice, resource, PrivateMultiple, Entry(Alice.NodeId, "x"), Ms(T0))), From(Alice)));
        Opaque missing = new byte[16];
        var byKeys = Fetched(engine, resource, PrivateMultiple, new DictionarySpecifier([missing, Alice.NodeId]));
        Assert.Equal([$"{missing.ToHex()}:-", $"{Alice.NodeId.ToHex()}:x"], byKeys.Values.Select(Describe));
        var wildcard = Fetched(engine, resource, PrivateMultiple, new DictionarySpecifier([]));
        Assert.Equal([$"{Alice.NodeId.ToHex()}:x"], wildcard.Values.Select(Describe));
    }

    [Fact]
    public void Single_value_fetch_and_the_generation_shortcut()
    {
        var engine = Engine();
        var resource = UserResource(Alice, PrivateSingle);
        var nothing = Fetched(engine, resource, PrivateSingle, SingleValueSpecifier.Instance);
        Assert.Equal(0ul, nothing.Generation);
        Assert.Equal(["-"], nothing.Values.Select(Describe));

        Stored(Send(engine, StoreOf(resource, PrivateSingle, Signed(Alice, resource, PrivateSingle, Single("v"), Ms(T0))), From(Alice)));
        var held = Fetched(engine, resource, PrivateSingle, SingleValueSpecifier.Instance);
        Assert.Equal(1ul, held.Generation);
        Assert.Equal(["v"], held.Values.Select(Describe));
        // The generation the requester already saw: no values (§7.4.2.1).
        Assert.Empty(Fetched(engine, resource, PrivateSingle, SingleValueSpecifier.Instance, generation: 1).Values);
        Assert.Single(Fetched(engine, resource, PrivateSingle, SingleValueSpecifier.Instance, generation: 7).Values);
    }

    [Fact]
    public void Stat_describes_values_with_length_and_hash()
    {
        var engine = EngineWithArray((0, "hello"), (2, "world!"));
        var answer = Assert.IsType<StatAns>(Send(engine, new StatReq(Certs, [new StoredDataSpecifier(KindRegistry.CertificateByUser, 0, new ArraySpecifier([ArrayRange.All]))]), From(Alice)));
        var kind = Assert.Single(answer.KindResponses);
        Assert.Equal(2ul, kind.Generation);
        Assert.Equal(3, kind.Values.Count);
        var first = Assert.IsType<ArrayEntryMeta>(kind.Values[0].Metadata);
        Assert.Equal(0u, first.Index);
        Assert.True(first.Value.Exists);
        Assert.Equal(5u, first.Value.ValueLength);
        Assert.Equal(SignatureAndHashAlgorithm.HashSha256, first.Value.HashAlgorithm);
        // The digest covers the value with its 4 length bytes (§7.4.3.2).
        Assert.Equal(SHA256.HashData([0, 0, 0, 5, .. "hello"u8]), first.Value.HashValue.ToArray());
        Assert.False(Assert.IsType<ArrayEntryMeta>(kind.Values[1].Metadata).Value.Exists);
        Assert.Equal(6u, Assert.IsType<ArrayEntryMeta>(kind.Values[2].Metadata).Value.ValueLength);
        Assert.Equal(Ms(T0) + 2, kind.Values[2].StorageTime);
    }

    [Fact]
    public void Find_answers_the_nearest_resource_clockwise_per_kind()
    {
        // Replica stores let one test place values at chosen Resource-IDs.
        var engine = Engine(P2psip.Peer.DefenceSwitches.AllOn.Disable(P2psip.Peer.DefenceSwitches.AccessControl));
        Opaque Id(byte b) => Enumerable.Repeat(b, 16).ToArray();
        foreach (var b in new byte[] { 0x20, 0x80, 0xc0 })
            Stored(Send(engine, new StoreReq(Id(b), 1, [new StoreKindData(PrivateSingle, 1, [Signed(Alice, Id(b), PrivateSingle, Single("v"), Ms(T0))])]), From(Alice)));

        FindKindData[] Find(Opaque at, params uint[] kinds) => Assert.IsType<FindAns>(Send(engine, new FindReq(at, kinds), From(Alice))).Results.ToArray();
        Assert.Equal(Id(0x80), Find(Id(0x30), PrivateSingle)[0].Closest);
        Assert.Equal(Id(0x80), Find(Id(0x80), PrivateSingle)[0].Closest);
        Assert.Equal(Id(0x20), Find(Id(0xd0), PrivateSingle)[0].Closest); // wraps around the ring
        var mixed = Find(Id(0x30), PrivateSingle, KindRegistry.SipRegistration, 9999);
        Assert.Equal([PrivateSingle, KindRegistry.SipRegistration, 9999u], mixed.Select(r => r.Kind));
        Assert.True(mixed[1].Closest.IsEmpty); // a Kind with nothing here
        Assert.True(mixed[2].Closest.IsEmpty); // an unknown Kind: "0"
        Refused(Send(engine, new FindReq(Id(0x30), [PrivateSingle, PrivateSingle]), From(Alice)), ErrorCodes.InvalidMessage);
        Refused(Engine(responsibility: new NotMine()).Find(new FindReq(Id(0x30), [PrivateSingle]), From(Alice)), ErrorCodes.NotFound);
    }

    private sealed class NotMine : IStorageResponsibility
    {
        public bool IsResponsibleFor(Opaque resourceId) => false;
        public bool AcceptsReplicaFrom(Opaque resourceId, Opaque senderNodeId) => true;
        public ValueList<Opaque> ReplicasFor(Opaque resourceId) => ValueList<Opaque>.Empty;
    }

    [Fact]
    public void An_original_store_at_a_resource_this_peer_is_not_responsible_for_is_refused()
    {
        var engine = Engine(responsibility: new NotMine());
        var resource = UserResource(Alice, PrivateSingle);
        Refused(Send(engine, StoreOf(resource, PrivateSingle, Signed(Alice, resource, PrivateSingle, Single("v"), Ms(T0))), From(Alice)), ErrorCodes.NotFound);
    }
}
