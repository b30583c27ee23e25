using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Peer;
using P2psip.Peer.Storage;
using P2psip.Wire;
using static P2psip.Tests.PeerStorage.StorageKit;

namespace P2psip.Tests.PeerStorage;

/// <summary>The checks of §7.4.1.1 and what each defence switch changes.</summary>
public class StoreRuleTests
{
    private static readonly Opaque AliceSingle = UserResource(Alice, PrivateSingle);

    private static StoreReq AliceValue(string text, ulong storageTime, uint lifetime = 3600, ulong generation = 0) =>
        StoreOf(AliceSingle, PrivateSingle, generation, Signed(Alice, AliceSingle, PrivateSingle, Single(text), storageTime, lifetime));

    private static string Held(StorageEngine engine)
    {
        var value = Assert.Single(Fetched(engine, AliceSingle, PrivateSingle, SingleValueSpecifier.Instance).Values);
        return System.Text.Encoding.UTF8.GetString(value.Value.Data!.Value.Span);
    }

    [Fact]
    public void A_rolled_back_storage_time_gets_Error_Data_Too_Old_and_changes_nothing()
    {
        var engine = Engine();
        Stored(Send(engine, AliceValue("new", Ms(T0) + 2000), From(Alice)));
        Refused(Send(engine, AliceValue("old", Ms(T0) + 1000), From(Alice)), ErrorCodes.DataTooOld);
        // The same storage_time with another value is not newer either (§7.4.1.1: "greater than").
        Refused(Send(engine, AliceValue("same time", Ms(T0) + 2000), From(Alice)), ErrorCodes.DataTooOld);
        Assert.Equal("new", Held(engine));
    }

    [Fact]
    public void With_the_storage_time_check_off_a_store_rolls_back()
    {
        var engine = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.StorageTime));
        Stored(Send(engine, AliceValue("new", Ms(T0) + 2000), From(Alice)));
        Stored(Send(engine, AliceValue("old", Ms(T0) + 1000), From(Alice)));
        Assert.Equal("old", Held(engine));
    }

    [Fact]
    public void A_replayed_store_does_not_roll_back()
    {
        var engine = Engine();
        var first = AliceValue("v1", Ms(T0) + 1000);
        var firstAnswer = Stored(Send(engine, first, From(Alice)));
        Stored(Send(engine, AliceValue("v2", Ms(T0) + 2000), From(Alice)));
        // The captured first Store, replayed byte for byte, is refused and v2 stays.
        Refused(Send(engine, first, From(Alice)), ErrorCodes.DataTooOld);
        Assert.Equal("v2", Held(engine));
        // Replaying the latest Store is harmless: accepted, nothing changes, the generation stays.
        var again = AliceValue("v3", Ms(T0) + 3000);
        var answer = Stored(Send(engine, again, From(Alice)));
        var replayed = Stored(Send(engine, again, From(Alice)));
        Assert.Equal(answer.KindResponses[0].GenerationCounter, replayed.KindResponses[0].GenerationCounter);
        Assert.Equal(firstAnswer.KindResponses[0].GenerationCounter + 2, replayed.KindResponses[0].GenerationCounter);
    }

    [Fact]
    public void A_replayed_append_does_not_add_a_copy()
    {
        var engine = Engine();
        var resource = UserResource(Alice, KindRegistry.CertificateByUser);
        var append = StoreOf(resource, KindRegistry.CertificateByUser, Signed(Alice, resource, KindRegistry.CertificateByUser, Element(ArrayEntry.Append, "cert"), Ms(T0)));
        var first = Stored(Send(engine, append, From(Alice)));
        var replayed = Stored(Send(engine, append, From(Alice)));
        Assert.Equal(first.KindResponses[0].GenerationCounter, replayed.KindResponses[0].GenerationCounter);
        Assert.Single(Fetched(engine, resource, KindRegistry.CertificateByUser, new ArraySpecifier([ArrayRange.All])).Values);
    }

    [Fact]
    public void A_value_signed_with_an_expired_certificate_is_refused()
    {
        var engine = Engine();
        var expired = Pki.Expired;
        var resource = OverlayHash.ResourceId(expired.UserName!);
        var value = Signed(expired, resource, PrivateSingle, Single("old"), Ms(T0));
        var error = Refused(Send(engine, StoreOf(resource, PrivateSingle, value), From(expired)), ErrorCodes.Forbidden);
        Assert.Contains("not valid now", System.Text.Encoding.UTF8.GetString(error.ErrorInfo.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Generation_counters_count_changes_and_refuse_a_stale_expectation()
    {
        var engine = Engine();
        Assert.Equal(1ul, Stored(Send(engine, AliceValue("v1", Ms(T0) + 1), From(Alice))).KindResponses[0].GenerationCounter);
        Assert.Equal(2ul, Stored(Send(engine, AliceValue("v2", Ms(T0) + 2, generation: 1), From(Alice))).KindResponses[0].GenerationCounter);
        var error = Refused(Send(engine, AliceValue("v3", Ms(T0) + 3, generation: 1), From(Alice)), ErrorCodes.GenerationCounterTooLow);
        // error_info is a StoreAns with the current counter and an empty replica list (§7.4.1.2).
        var current = Assert.Single(StorageErrors.StoreAnsOf(error)!.KindResponses);
        Assert.Equal(new StoreKindResponse(PrivateSingle, 2, ValueList<Opaque>.Empty), current);
        Assert.Equal("v2", Held(engine));
        // 0 means "ignore the counter" (§7.4.1.1).
        Assert.Equal(3ul, Stored(Send(engine, AliceValue("v3", Ms(T0) + 3), From(Alice))).KindResponses[0].GenerationCounter);
    }

    [Fact]
    public void With_the_generation_check_off_a_stale_counter_is_accepted()
    {
        var engine = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.GenerationCounter));
        Stored(Send(engine, AliceValue("v1", Ms(T0) + 1), From(Alice)));
        Stored(Send(engine, AliceValue("v2", Ms(T0) + 2), From(Alice)));
        Stored(Send(engine, AliceValue("v3", Ms(T0) + 3, generation: 1), From(Alice)));
        Assert.Equal("v3", Held(engine));
    }

    [Fact]
    public void A_replica_store_sets_the_generation_counter_and_may_not_use_zero()
    {
        var engine = Engine();
        var value = Signed(Alice, AliceSingle, PrivateSingle, Single("replica"), Ms(T0));
        Assert.Equal(41ul, Stored(Send(engine, new StoreReq(AliceSingle, 1, [new StoreKindData(PrivateSingle, 41, [value])]), From(Bob, Alice))).KindResponses[0].GenerationCounter);
        Refused(Send(engine, new StoreReq(AliceSingle, 2, [new StoreKindData(PrivateSingle, 0, [value])]), From(Bob, Alice)), ErrorCodes.InvalidMessage);
    }

    [Fact]
    public void Max_size_max_count_and_max_message_size_are_enforced()
    {
        var engine = Engine();
        Refused(Send(engine, AliceValue(new string('x', 101), Ms(T0)), From(Alice)), ErrorCodes.DataTooLarge);
        Stored(Send(engine, AliceValue(new string('x', 100), Ms(T0)), From(Alice)));

        // CERTIFICATE_BY_USER has max-count 2: a third element is too many.
        var resource = UserResource(Alice, KindRegistry.CertificateByUser);
        StoredData Cert(int n) => Signed(Alice, resource, KindRegistry.CertificateByUser, Element(ArrayEntry.Append, $"cert {n}"), Ms(T0) + (ulong)n);
        Stored(Send(engine, StoreOf(resource, KindRegistry.CertificateByUser, Cert(1), Cert(2)), From(Alice)));
        Refused(Send(engine, StoreOf(resource, KindRegistry.CertificateByUser, Cert(3)), From(Alice)), ErrorCodes.DataTooLarge);
        // An element far past the end would make a huge sparse array: refused the same way.
        var far = Signed(Alice, resource, KindRegistry.CertificateByUser, Element(1_000_000, "far"), Ms(T0) + 9);
        Refused(Send(engine, StoreOf(resource, KindRegistry.CertificateByUser, far), From(Alice)), ErrorCodes.DataTooLarge);

        // max-message-size (5000 by default) against the whole message's length.
        Refused(engine.Store(AliceValue("small", Ms(T0) + 5), From(Alice) with { MessageLength = 5001 }), ErrorCodes.MessageTooLarge);
    }

    [Fact]
    public void With_quotas_off_the_kind_limits_are_not_enforced()
    {
        var engine = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.Quotas));
        Stored(Send(engine, AliceValue(new string('x', 101), Ms(T0)), From(Alice)));
        var resource = UserResource(Alice, KindRegistry.CertificateByUser);
        StoredData Cert(int n) => Signed(Alice, resource, KindRegistry.CertificateByUser, Element(ArrayEntry.Append, $"cert {n}"), Ms(T0) + (ulong)n);
        Stored(Send(engine, StoreOf(resource, KindRegistry.CertificateByUser, Cert(1), Cert(2), Cert(3)), From(Alice)));
        Stored(engine.Store(AliceValue("small", Ms(T0) + 5), From(Alice) with { MessageLength = 5001 }));
        // Even without quotas, a huge sparse array cannot make a huge answer.
        var far = Signed(Alice, resource, KindRegistry.CertificateByUser, Element(4_000_000_000, "far"), Ms(T0) + 9);
        Stored(Send(engine, StoreOf(resource, KindRegistry.CertificateByUser, far), From(Alice)));
        var values = Fetched(engine, resource, KindRegistry.CertificateByUser, new ArraySpecifier([ArrayRange.All])).Values;
        Assert.True(values.Count <= StorageLimits.Default.MaxSyntheticValuesPerAnswer + 4);
        Assert.Equal(4_000_000_000u, Assert.IsType<ArrayEntry>(values[^1].Value).Index);
    }

    [Fact]
    public void Unknown_kinds_get_Error_Unknown_Kind_listing_them_all()
    {
        var engine = Engine();
        var value = Signed(Alice, AliceSingle, PrivateSingle, Single("v"), Ms(T0));
        var request = new StoreReq(AliceSingle, 0, [new StoreKindData(PrivateSingle, 0, [value]), new StoreKindData(9999, 0, []), new StoreKindData(9998, 0, [])]);
        var error = Refused(Send(engine, request, From(Alice)), ErrorCodes.UnknownKind);
        Assert.Equal([9999u, 9998u], StorageErrors.UnknownKindsOf(error)!);
        // The whole request failed: the known Kind was not stored either.
        Assert.False(Assert.Single(Fetched(engine, AliceSingle, PrivateSingle, SingleValueSpecifier.Instance).Values).Value.Data!.Exists);
        Refused(Send(engine, FetchOf(AliceSingle, 9999, new UninterpretedSpecifier(Opaque.Empty)), From(Alice)), ErrorCodes.UnknownKind);
    }

    [Fact]
    public void A_value_of_another_data_model_is_refused()
    {
        var engine = Engine();
        var resource = SipUsage.ResourceIdOf(Alice.UserName!);
        // An array element for SIP-REGISTRATION, a dictionary Kind (built directly: the codec would read it as a dictionary).
        var wrong = Signed(Alice, resource, KindRegistry.SipRegistration, Element(0, "sip:alice@192.0.2.1"), Ms(T0));
        Refused(engine.Store(StoreOf(resource, KindRegistry.SipRegistration, wrong), From(Alice)), ErrorCodes.InvalidMessage);
    }

    [Fact]
    public void With_the_kind_check_off_wrong_models_and_unknown_kinds_are_taken()
    {
        // Exactly kind-check off: a dictionary entry for a single-value Kind (signed, so data-signatures passes it).
        var engine = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.KindCheck));
        var wrong = Signed(Alice, AliceSingle, PrivateSingle, Entry(Alice.NodeId, "not a single value"), Ms(T0));
        Refused(Engine().Store(StoreOf(AliceSingle, PrivateSingle, wrong), From(Alice)), ErrorCodes.InvalidMessage);
        Stored(engine.Store(StoreOf(AliceSingle, PrivateSingle, wrong), From(Alice)));

        // An unknown Kind's value and signature are one opaque blob (§7.4.1.2 leaves its format unknown),
        // so with kind-check off data-signatures still refuses it, and only both off store it.
        var opaqueValue = StoredData.Uninterpreted(Ms(T0), 60, Opaque.Utf8("anything at all"));
        Refused(Send(Engine(), StoreOf(AliceSingle, 9999, opaqueValue), From(Alice)), ErrorCodes.UnknownKind);
        Refused(Send(engine, StoreOf(AliceSingle, 9999, opaqueValue), From(Alice)), ErrorCodes.Forbidden);
        var open = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.KindCheck, DefenceSwitches.DataSignatures));
        Stored(Send(open, StoreOf(AliceSingle, 9999, opaqueValue), From(Alice)));
        var fetched = Assert.Single(Assert.IsType<FetchAns>(Send(open, FetchOf(AliceSingle, 9999, new UninterpretedSpecifier(Opaque.Empty)), From(Alice))).KindResponses);
        Assert.Equal(opaqueValue, Assert.Single(fetched.Values));
    }

    [Fact]
    public void A_bad_StoredData_signature_is_refused_and_accepted_with_data_signatures_off()
    {
        var good = Signed(Alice, AliceSingle, PrivateSingle, Single("v"), Ms(T0));
        var flipped = good.Signature!.Value.ToArray();
        flipped[^1] ^= 0x01;
        var bad = good with { Signature = good.Signature with { Value = flipped } };
        var forged = good with { Value = Single("forged") }; // the signature of another value
        var unsigned = good with { Signature = Signature.Unsigned };

        var engine = Engine();
        foreach (var value in new[] { bad, forged, unsigned })
        {
            var error = Refused(Send(engine, StoreOf(AliceSingle, PrivateSingle, value), From(Alice)), ErrorCodes.Forbidden);
            Assert.DoesNotContain("may not write", System.Text.Encoding.UTF8.GetString(error.ErrorInfo.Span), StringComparison.Ordinal);
        }
        Stored(Send(engine, StoreOf(AliceSingle, PrivateSingle, good), From(Alice)));

        var open = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.DataSignatures));
        Stored(Send(open, StoreOf(AliceSingle, PrivateSingle, forged), From(Alice)));
        Assert.Equal("forged", System.Text.Encoding.UTF8.GetString(
            Assert.Single(Fetched(open, AliceSingle, PrivateSingle, SingleValueSpecifier.Instance).Values).Value.Data!.Value.Span));
    }

    [Fact]
    public void A_signature_by_a_certificate_outside_the_bucket_and_store_is_refused()
    {
        var engine = Engine();
        var value = Signed(Alice, AliceSingle, PrivateSingle, Single("v"), Ms(T0));
        var context = new StorageRequest(Alice.Certificate, Alice.NodeId, ValueList<Opaque>.Empty, T0, LocalNodeId);
        Refused(Send(engine, StoreOf(AliceSingle, PrivateSingle, value), context), ErrorCodes.Forbidden);
        // Known from elsewhere (the certificate Kinds, §8), it verifies.
        var store = new P2psip.Security.CertificateStore();
        store.Add(Alice.Certificate);
        var withStore = new StorageEngine(Configuration, DefenceSwitches.AllOn) { KnownCertificates = store };
        Stored(Send(withStore, StoreOf(AliceSingle, PrivateSingle, value), context));
    }

    [Fact]
    public void A_deletion_by_a_non_owner_is_refused_and_the_value_stays_byte_for_byte()
    {
        var engine = Engine();
        Stored(Send(engine, SipUsage.Register(Alice, Alice.UserName!, "sip:alice@192.0.2.1", T0, 600), From(Alice)));
        var resource = SipUsage.ResourceIdOf(Alice.UserName!);
        var before = Assert.Single(Fetched(engine, resource, KindRegistry.SipRegistration, new DictionarySpecifier([])).Values);

        var deletion = Signed(Bob, resource, KindRegistry.SipRegistration, new DictionaryEntry(Alice.NodeId, DataValue.Nonexistent), Ms(T0) + 1000);
        RefusedByPolicy(Send(engine, StoreOf(resource, KindRegistry.SipRegistration, deletion), From(Bob)));
        var after = Assert.Single(Fetched(engine, resource, KindRegistry.SipRegistration, new DictionarySpecifier([])).Values);
        Assert.Equal(Bytes(before), Bytes(after));

        // The owner may delete: the value becomes a signed "nonexistent" one (§7.4.1.3).
        Stored(Send(engine, SipUsage.Unregister(Alice, Alice.UserName!, T0.AddSeconds(1), 600), From(Alice)));
        var deleted = Assert.Single(Fetched(engine, resource, KindRegistry.SipRegistration, new DictionarySpecifier([])).Values);
        Assert.False(deleted.Value.Data!.Exists);
        Assert.Equal(SignerIdentity.CertHash, deleted.Signature!.Identity.IdentityType);
    }

    [Fact]
    public void A_store_is_atomic_over_its_kinds()
    {
        var engine = Engine();
        var resource = UserResource(Alice, PrivateSingle);
        var ok = Signed(Alice, resource, KindRegistry.CertificateByUser, Element(0, "v"), Ms(T0));
        var tooBig = Signed(Alice, resource, PrivateSingle, Single(new string('x', 101)), Ms(T0));
        // Both Kinds live at H(user name); the second is too large, so neither may be stored.
        var userResource = UserResource(Alice, KindRegistry.CertificateByUser);
        Assert.Equal(resource, userResource);
        Refused(Send(engine, new StoreReq(resource, 0, [new StoreKindData(KindRegistry.CertificateByUser, 0, [ok]), new StoreKindData(PrivateSingle, 0, [tooBig])]), From(Alice)),
            ErrorCodes.DataTooLarge);
        Assert.Empty(Fetched(engine, resource, KindRegistry.CertificateByUser, new ArraySpecifier([ArrayRange.All])).Values);
        Assert.Equal(0, engine.Usage.Values);

        // Atomic also when the failure is found while applying (storage_time of the second value).
        var first = Signed(Alice, resource, KindRegistry.CertificateByUser, Element(0, "a"), Ms(T0) + 10);
        Stored(Send(engine, StoreOf(resource, KindRegistry.CertificateByUser, first), From(Alice)));
        var older = Signed(Alice, resource, KindRegistry.CertificateByUser, Element(0, "b"), Ms(T0) + 5);
        var fine = Signed(Alice, resource, PrivateSingle, Single("v"), Ms(T0));
        Refused(Send(engine, new StoreReq(resource, 0, [new StoreKindData(PrivateSingle, 0, [fine]), new StoreKindData(KindRegistry.CertificateByUser, 0, [older])]), From(Alice)),
            ErrorCodes.DataTooOld);
        Assert.False(Assert.Single(Fetched(engine, resource, PrivateSingle, SingleValueSpecifier.Instance).Values).Value.Data!.Exists);
        Assert.Equal(1, engine.Usage.Values);
    }

    [Fact]
    public void A_kind_twice_in_one_store_is_refused()
    {
        var engine = Engine();
        var value = Signed(Alice, AliceSingle, PrivateSingle, Single("v"), Ms(T0));
        Refused(Send(engine, new StoreReq(AliceSingle, 0, [new StoreKindData(PrivateSingle, 0, [value]), new StoreKindData(PrivateSingle, 0, [value])]), From(Alice)),
            ErrorCodes.InvalidMessage);
    }
}
