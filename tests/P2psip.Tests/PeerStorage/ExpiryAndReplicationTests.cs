using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Storage;
using P2psip.Wire;
using static P2psip.Tests.PeerStorage.StorageKit;

namespace P2psip.Tests.PeerStorage;

/// <summary>Lifetimes (§7, §7.4.1.3), and the export, import and drop of ring ranges for replicas and handover (§10.4, §10.5).</summary>
public class ExpiryAndReplicationTests
{
    private static readonly Opaque Resource = UserResource(Alice, PrivateSingle);

    [Fact]
    public void A_value_expires_when_its_lifetime_runs_out_after_it_was_received()
    {
        var engine = Engine();
        // storage_time is the storer's clock; the lifetime runs from when this peer received the Store (§7).
        var receivedAt = T0.AddMinutes(5);
        Stored(Send(engine, StoreOf(Resource, PrivateSingle, Signed(Alice, Resource, PrivateSingle, Single("v"), Ms(T0), lifetime: 10)), From(Alice, receivedAt)));
        Assert.True(Assert.Single(Fetched(engine, Resource, PrivateSingle, SingleValueSpecifier.Instance, receivedAt.AddSeconds(9)).Values).Value.Data!.Exists);
        Assert.Equal(1, engine.Usage.Values);
        var gone = Assert.Single(Fetched(engine, Resource, PrivateSingle, SingleValueSpecifier.Instance, receivedAt.AddSeconds(10)).Values);
        Assert.False(gone.Value.Data!.Exists);
        Assert.Equal(P2psip.Messages.Security.Signature.Unsigned, gone.Signature);
        Assert.Equal(0, engine.Usage.Values);
        Assert.Equal(0, engine.Usage.Bytes);
    }

    [Fact]
    public void Expire_sweeps_every_resource()
    {
        var engine = Engine(P2psip.Peer.DefenceSwitches.AllOn.Disable(P2psip.Peer.DefenceSwitches.AccessControl));
        for (byte b = 1; b <= 5; b++)
        {
            Opaque id = Enumerable.Repeat(b, 16).ToArray();
            Stored(Send(engine, new StoreReq(id, 1, [new StoreKindData(PrivateSingle, 1, [Signed(Alice, id, PrivateSingle, Single("v"), Ms(T0), lifetime: b)])]), From(Alice)));
        }
        Assert.Equal(0, engine.Expire(T0.AddSeconds(0.5)));
        Assert.Equal(3, engine.Expire(T0.AddSeconds(3)));
        Assert.Equal(2, engine.Usage.Values);
        Assert.Equal(2, engine.ResourceIds.Count);
    }

    [Fact]
    public void A_range_exports_as_replica_stores_that_another_engine_imports_and_the_range_drops()
    {
        var source = Engine();
        // Values that satisfy their policies, at Resource-IDs spread over the ring: Alice's NODE-MULTIPLE
        // copies, her SIP registration and her certificate by user name.
        var ids = new List<Opaque>();
        for (uint i = 1; i <= 3; i++)
        {
            var id = AccessControl.NodeMultipleResourceId(Alice.NodeId, i);
            Stored(Send(source, StoreOf(id, PrivateMultiple, Signed(Alice, id, PrivateMultiple, Entry(Alice.NodeId, $"copy {i}"), Ms(T0), lifetime: 100)), From(Alice)));
            ids.Add(id);
        }
        Stored(Send(source, SipUsage.Register(Alice, Alice.UserName!, "sip:alice@192.0.2.1", T0, 100), From(Alice)));
        ids.Add(SipUsage.ResourceIdOf(Alice.UserName!));
        var certs = UserResource(Alice, KindRegistry.CertificateByUser);
        Stored(Send(source, StoreOf(certs, KindRegistry.CertificateByUser, Signed(Alice, certs, KindRegistry.CertificateByUser, Element(ArrayEntry.Append, "cert"), Ms(T0), lifetime: 100)), From(Alice)));
        ids.Add(certs);
        ids.Sort((a, b) => RingOrder.Compare(a, b));
        Assert.Equal(ids, source.ResourceIds);

        // (ids[0], ids[2]] holds exactly ids[1] and ids[2].
        var range = new RingRange(ids[0], ids[2]);
        var later = T0.AddSeconds(30);
        var exported = source.Export(range, later, replicaNumber: 1);
        Assert.Equal([ids[1], ids[2]], exported.Select(r => r.Resource));
        Assert.All(exported, r => Assert.Equal(1, r.ReplicaNumber));
        // Lifetimes are adjusted downward by the 30 s the values were held (§7.4.1.1).
        Assert.All(exported.SelectMany(r => r.KindData).SelectMany(k => k.Values), v => Assert.Equal(70u, v.Lifetime));

        // A successor imports them through Store with access control on: the values' own signers are
        // checked, not the sending peer (§7.3, replica stores).
        var replica = Engine();
        foreach (var store in exported) Stored(Send(replica, store, From(Bob, Alice, later)));
        Assert.Equal([ids[1], ids[2]], replica.ResourceIds);
        foreach (var store in exported)
        {
            var kind = store.KindData[0];
            ModelSpecifier all = kind.Kind == KindRegistry.CertificateByUser ? new ArraySpecifier([ArrayRange.All]) : new DictionarySpecifier([]);
            var copy = Fetched(replica, store.Resource, kind.Kind, all, later);
            var original = Fetched(source, store.Resource, kind.Kind, all, later);
            Assert.Equal(original.Generation, copy.Generation); // the generation counter travels with a replica store
            Assert.Equal(original.Values.Select(v => v with { Lifetime = 70 }), copy.Values);
        }

        // A handover to a joining peer is the same export; afterwards the old holder drops the range.
        int held = source.Usage.Values;
        int dropped = source.Drop(range);
        Assert.Equal(exported.Sum(r => r.KindData.Sum(k => k.Values.Count)), dropped);
        Assert.Equal(held - dropped, source.Usage.Values);
        Assert.Equal(ids.Count - 2, source.ResourceIds.Count);
        Assert.Empty(source.Export(range, later, 1));
    }

    [Fact]
    public void A_replica_of_a_value_that_breaks_its_policy_is_refused()
    {
        var engine = Engine();
        Opaque elsewhere = Enumerable.Repeat((byte)0x42, 16).ToArray();
        var value = Signed(Alice, elsewhere, PrivateSingle, Single("v"), Ms(T0));
        RefusedByPolicy(Send(engine, new StoreReq(elsewhere, 1, [new StoreKindData(PrivateSingle, 3, [value])]), From(Bob, Alice)));
    }

    [Fact]
    public void Ring_ranges_wrap_and_a_range_with_equal_ends_is_the_whole_ring()
    {
        Opaque Id(byte b) => Enumerable.Repeat(b, 16).ToArray();
        var plain = new RingRange(Id(0x10), Id(0x50));
        Assert.False(plain.Contains(Id(0x10)));
        Assert.True(plain.Contains(Id(0x11)));
        Assert.True(plain.Contains(Id(0x50)));
        Assert.False(plain.Contains(Id(0x51)));
        var wrapped = new RingRange(Id(0xf0), Id(0x10));
        Assert.True(wrapped.Contains(Id(0xff)));
        Assert.True(wrapped.Contains(Id(0x00)));
        Assert.False(wrapped.Contains(Id(0x80)));
        Assert.True(new RingRange(Id(0x33), Id(0x33)).Contains(Id(0x80)));
    }
}
