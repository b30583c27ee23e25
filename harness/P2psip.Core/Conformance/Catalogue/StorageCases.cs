using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Peer;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Wire;
using static P2psip.Conformance.Catalogue.StorageSteps;

namespace P2psip.Conformance.Catalogue;

/// <summary>
/// Unauthorised data operations and pollution (TR-2a/b/c, TR-4a/b, TR-5): the SUT, responsible for
/// the Resource-IDs (it is the only peer of the lab's overlay), is sent Stores that the Kind's
/// rules (§7.3, §7.4.1) must refuse, and the data is read back afterwards.
/// </summary>
internal static class StorageCases
{
    private const string Parties = "the SUT as the storing peer; alice (the owner) and mallory, enrolled users of the overlay, each with its own link";

    public static IEnumerable<ConformanceCase> All()
    {
        yield return Case("TR-2b-01", "A Store of another user's AOR is refused and the owner's value stays", ["TR-2b", "TR-4b"], ["7.3", "7.4.1.2"],
            [DefenceSwitches.AccessControl],
            "alice registers her AOR; mallory stores a registration at alice's AOR under his own Node-ID",
            "Error_Forbidden (USER-NODE-MATCH: the AOR is not mallory's), and a Fetch returns alice's value byte for byte",
            async c =>
            {
                var (alice, mallory, reader) = await PartiesAsync(c);
                var (original, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (original is null) return Outcome.Inconclusive(why);
                var attack = SipUsage.Register(mallory.Identity, AorOf(alice.Identity), "sip:mallory@192.0.2.66", DateTimeOffset.UtcNow, 3600);
                var reply = await StoreAsync(c, mallory, attack);
                return await RefusedAndIntactAsync(c, reader, reply, ErrorCodes.Forbidden, "mallory's Store at alice's AOR", AorOf(alice.Identity), original);
            });
        yield return Case("TR-2b-02", "A Store at the owner's dictionary key by another user is refused", ["TR-2b"], ["7.3", "7.4.1.2"],
            [DefenceSwitches.AccessControl],
            "alice registers her AOR; mallory stores at alice's AOR, at the key alice's Node-ID, a value he signed",
            "Error_Forbidden, and alice's value is unchanged",
            async c =>
            {
                var (alice, mallory, reader) = await PartiesAsync(c);
                var (original, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (original is null) return Outcome.Inconclusive(why);
                var resource = SipUsage.ResourceIdOf(AorOf(alice.Identity));
                var forged = MessageSigner.SignStoredData(mallory.Identity, resource, KindRegistry.SipRegistration,
                    new StoredData(original.StorageTime + 1000, 3600, SipRegistrationUri.Of("sip:mallory@192.0.2.66").ToEntry(alice.Identity.NodeId), null));
                var reply = await StoreAsync(c, mallory, One(resource, forged));
                return await RefusedAndIntactAsync(c, reader, reply, ErrorCodes.Forbidden, "mallory's value at alice's key", AorOf(alice.Identity), original);
            });
        yield return Case("TR-2b-03", "A value whose signature does not verify is refused", ["TR-2b", "TR-4a"], ["7.1", "7.4.1.1"],
            [DefenceSwitches.DataSignatures],
            "alice registers her AOR; then a newer registration of hers whose StoredData signature has one bit flipped",
            "Error_Forbidden, and the first value stays",
            async c =>
            {
                var (alice, _, reader) = await PartiesAsync(c);
                var (original, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (original is null) return Outcome.Inconclusive(why);
                var newer = SipUsage.Register(alice.Identity, AorOf(alice.Identity), "sip:alice@192.0.2.99", DateTimeOffset.UtcNow.AddSeconds(1), 3600);
                var reply = await StoreAsync(c, alice, WithFlippedSignature(newer));
                return await RefusedAndIntactAsync(c, reader, reply, ErrorCodes.Forbidden, "a value with a broken signature", AorOf(alice.Identity), original);
            });
        yield return Case("TR-2b-04", "A value signed by a self-signed impostor of the owner is refused", ["TR-2b", "TR-4a"], ["7.1", "13.3"],
            [DefenceSwitches.DataSignatures],
            "alice registers her AOR; mallory (enrolled) sends a Store whose value is signed by a self-signed certificate naming alice's user and Node-ID, carried in the bucket",
            "Error_Forbidden: a StoredData signer's certificate must chain to the overlay's root; alice's value stays",
            async c =>
            {
                var (alice, mallory, reader) = await PartiesAsync(c);
                var (original, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (original is null) return Outcome.Inconclusive(why);
                var impostor = SelfSignedAs(c, alice.Identity);
                var body = SipUsage.Register(impostor, AorOf(alice.Identity), "sip:mallory@192.0.2.66", DateTimeOffset.UtcNow.AddSeconds(1), 3600);
                var message = c.Request(body, mallory.Identity, new ResourceDestination(body.Resource), sign: false);
                message = message with { Security = message.Security with { Certificates = [GenericCertificate.OfX509(impostor.Certificate.Der)] } };
                var reply = await mallory.Link.RequestAsync(MessageSigner.Sign(message, mallory.Identity), c.Timeouts.Answer);
                return await RefusedAndIntactAsync(c, reader, reply, ErrorCodes.Forbidden, "a value signed by a self-signed 'alice'", AorOf(alice.Identity), original);
            });
        yield return Case("TR-2c-01", "A deletion by another user is refused and the value stays", ["TR-2c"], ["7.3", "7.4.1.3"],
            [DefenceSwitches.AccessControl],
            "alice registers her AOR; mallory stores exists=false at alice's key, signed by himself",
            "Error_Forbidden, and alice's registration is still there",
            async c =>
            {
                var (alice, mallory, reader) = await PartiesAsync(c);
                var (original, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (original is null) return Outcome.Inconclusive(why);
                var resource = SipUsage.ResourceIdOf(AorOf(alice.Identity));
                var delete = MessageSigner.SignStoredData(mallory.Identity, resource, KindRegistry.SipRegistration,
                    new StoredData(original.StorageTime + 1000, 3600, new DictionaryEntry(alice.Identity.NodeId, DataValue.Nonexistent), null));
                var reply = await StoreAsync(c, mallory, One(resource, delete));
                return await RefusedAndIntactAsync(c, reader, reply, ErrorCodes.Forbidden, "mallory's deletion of alice's value", AorOf(alice.Identity), original);
            });
        yield return Case("TR-2c-02", "A deletion whose signature does not verify is refused", ["TR-2c", "TR-4a"], ["7.1", "7.4.1.3"],
            [DefenceSwitches.DataSignatures],
            "alice registers her AOR; then alice's own deletion (exists=false) with one bit of its signature flipped",
            "Error_Forbidden, and the registration is still there",
            async c =>
            {
                var (alice, _, reader) = await PartiesAsync(c);
                var (original, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (original is null) return Outcome.Inconclusive(why);
                var delete = SipUsage.Unregister(alice.Identity, AorOf(alice.Identity), DateTimeOffset.UtcNow.AddSeconds(1), 3600);
                var reply = await StoreAsync(c, alice, WithFlippedSignature(delete));
                return await RefusedAndIntactAsync(c, reader, reply, ErrorCodes.Forbidden, "a deletion with a broken signature", AorOf(alice.Identity), original);
            });
        yield return Case("TR-2a-02", "Values the SUT returns carry signatures that verify against the storing user's certificate", ["TR-2a"], ["7.1", "7.4.2.2"],
            [],
            "alice registers her AOR; the probe fetches it",
            "the value comes back with alice's signature, which verifies against alice's certificate",
            async c =>
            {
                var (alice, _, reader) = await PartiesAsync(c);
                var (original, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (original is null) return Outcome.Inconclusive(why);
                var (values, fetchWhy) = await ValuesAsync(c, reader, AorOf(alice.Identity));
                if (values is null) return Outcome.Fail(fetchWhy);
                var mine = values.Where(v => v.Value is DictionaryEntry d && d.Key == alice.Identity.NodeId).ToList();
                if (mine.Count == 0) return Outcome.Fail($"the Fetch of {AorOf(alice.Identity)} does not return alice's registration ({values.Count} value(s))");
                var check = MessageSigner.VerifyStoredData(SipUsage.ResourceIdOf(AorOf(alice.Identity)), KindRegistry.SipRegistration, mine[0], [alice.Identity.Certificate]);
                return check.Valid ? Outcome.Pass("alice's value came back with a signature that verifies against her certificate")
                    : Outcome.Fail($"the value came back with a signature that does not verify: {check.Failure}");
            });
        yield return Case("TR-4a-01", "A Store of an unknown Kind gets Error_Unknown_Kind", ["TR-4a", "PC-6"], ["7.4.1.2", "6.3.3.1"],
            [DefenceSwitches.KindCheck],
            "alice stores a signed single value of Kind 0xfade, which the configuration does not define, at her AOR's Resource-ID",
            "Error_Unknown_Kind; never a StoreAns",
            async c =>
            {
                var (alice, _, reader) = await PartiesAsync(c);
                var resource = SipUsage.ResourceIdOf(AorOf(alice.Identity));
                var value = MessageSigner.SignStoredData(alice.Identity, resource, 0xfade,
                    new StoredData((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 3600, new SingleValueEntry(DataValue.Of(Opaque.Utf8("pollution"))), null));
                var reply = await StoreAsync(c, alice, new StoreReq(resource, 0, [new StoreKindData(0xfade, 0, [value])]));
                return Judge.RefusedWith(reply, ErrorCodes.UnknownKind, "a Store of Kind 0xfade");
            });
        yield return Case("TR-4a-02", "A value of the wrong data model is refused", ["TR-4a"], ["7.2", "7.4.1.1"],
            [DefenceSwitches.KindCheck],
            "alice stores a signed single value (not a dictionary entry) under SIP-REGISTRATION, a dictionary Kind, at her AOR",
            "refused (Error_Invalid_Message or another error), and never served",
            async c =>
            {
                var (alice, _, reader) = await PartiesAsync(c);
                var resource = SipUsage.ResourceIdOf(AorOf(alice.Identity));
                var value = MessageSigner.SignStoredData(alice.Identity, resource, KindRegistry.SipRegistration,
                    new StoredData((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 3600, new SingleValueEntry(DataValue.Of(Opaque.Utf8("sip:x@192.0.2.7"))), null));
                var reply = await StoreAsync(c, alice, One(resource, value));
                var refusal = Judge.RefusedWith(reply, ErrorCodes.InvalidMessage, "a single value under a dictionary Kind");
                return refusal.Verdict == Verdict.Fail ? refusal : await NeverServedAsync(c, reader, AorOf(alice.Identity), refusal);
            });
        yield return Case("TR-4a-03", "A value larger than the Kind's max-size is refused", ["TR-4a", "TR-5"], ["7.4.1.1", "11.1"],
            [DefenceSwitches.Quotas],
            "alice registers her AOR with a contact URI longer than SIP-REGISTRATION's max-size",
            "Error_Data_Too_Large (§7.4.1.1), and nothing is served",
            async c =>
            {
                var (alice, _, reader) = await PartiesAsync(c);
                var maxSize = c.Lab.Configuration.RequiredKinds?.FirstOrDefault(k => k.Name == "SIP-REGISTRATION")?.MaxSize ?? 1000;
                var body = SipUsage.Register(alice.Identity, AorOf(alice.Identity), "sip:" + new string('a', maxSize + 50) + "@192.0.2.1", DateTimeOffset.UtcNow, 3600);
                var reply = await StoreAsync(c, alice, body);
                var refusal = Judge.RefusedWith(reply, ErrorCodes.DataTooLarge, $"a value over max-size {maxSize}");
                return refusal.Verdict == Verdict.Fail ? refusal : await NeverServedAsync(c, reader, AorOf(alice.Identity), refusal);
            });
        yield return Case("TR-4a-04", "A forged value that was refused is never served to others", ["TR-4a", "TR-2b"], ["7.1", "7.4.2.2"],
            [DefenceSwitches.DataSignatures],
            "a Store at a fresh AOR of alice's whose only value carries a broken signature; then another party fetches the AOR",
            "the Store is refused and the Fetch returns no value",
            async c =>
            {
                var (alice, _, reader) = await PartiesAsync(c);
                var body = SipUsage.Register(alice.Identity, AorOf(alice.Identity), "sip:alice@192.0.2.1", DateTimeOffset.UtcNow, 3600);
                var reply = await StoreAsync(c, alice, WithFlippedSignature(body));
                var refusal = Judge.RefusedWith(reply, ErrorCodes.Forbidden, "a value with a broken signature at a fresh AOR");
                return refusal.Verdict == Verdict.Fail ? refusal : await NeverServedAsync(c, reader, AorOf(alice.Identity), refusal);
            });
        yield return Case("TR-4b-01", "A registration pointing another user's AOR at a victim's address is refused", ["TR-4b"], ["7.3", "13.5"],
            [DefenceSwitches.AccessControl],
            "mallory registers bob's AOR (bob has not registered) with the contact sip:victim@192.0.2.50",
            "Error_Forbidden, and a Fetch of bob's AOR returns nothing",
            async c =>
            {
                var (bob, mallory, reader) = await PartiesAsync(c);
                var attack = SipUsage.Register(mallory.Identity, AorOf(bob.Identity), "sip:victim@192.0.2.50", DateTimeOffset.UtcNow, 3600);
                var reply = await StoreAsync(c, mallory, attack);
                var refusal = Judge.RefusedWith(reply, ErrorCodes.Forbidden, "mallory's registration of bob's AOR");
                return refusal.Verdict == Verdict.Fail ? refusal : await NeverServedAsync(c, reader, AorOf(bob.Identity), refusal);
            });
        yield return Case("TR-4b-02", "A registration keyed by another node's Node-ID is refused", ["TR-4b"], ["7.3"],
            [DefenceSwitches.AccessControl],
            "mallory registers his own AOR, but at the dictionary key of a victim's Node-ID, signed by himself",
            "Error_Forbidden (USER-NODE-MATCH: the key must be the signer's Node-ID), and nothing is served",
            async c =>
            {
                var (victim, mallory, reader) = await PartiesAsync(c);
                var resource = SipUsage.ResourceIdOf(AorOf(mallory.Identity));
                var value = MessageSigner.SignStoredData(mallory.Identity, resource, KindRegistry.SipRegistration,
                    new StoredData((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 3600, SipRegistrationUri.Of("sip:victim@192.0.2.50").ToEntry(victim.Identity.NodeId), null));
                var reply = await StoreAsync(c, mallory, One(resource, value));
                var refusal = Judge.RefusedWith(reply, ErrorCodes.Forbidden, "a registration under someone else's Node-ID");
                return refusal.Verdict == Verdict.Fail ? refusal : await NeverServedAsync(c, reader, AorOf(mallory.Identity), refusal);
            });
        yield return Case("TR-5-01", "More values than the Kind's max-count are refused", ["TR-5"], ["7.4.1.1", "11.1"],
            [DefenceSwitches.Quotas],
            "alice appends her certificate to CERTIFICATE_BY_USER at H(her user name) max-count + 1 times in one Store",
            "Error_Data_Too_Large; a Fetch does not return more than max-count values",
            async c =>
            {
                var (alice, _, reader) = await PartiesAsync(c);
                var maxCount = c.Lab.Configuration.RequiredKinds?.FirstOrDefault(k => k.Name == "CERTIFICATE_BY_USER")?.MaxCount ?? 2;
                var resource = AccessControl.UserResourceId(KindRegistry.CertificateByUser, alice.Identity.UserName!);
                ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var entry = StoredCertificate.Of(alice.Identity.Certificate.Certificate).ToAppendEntry();
                var values = Enumerable.Range(0, maxCount + 1).Select(i => MessageSigner.SignStoredData(alice.Identity, resource, KindRegistry.CertificateByUser,
                    new StoredData(now + (ulong)i, 3600, entry, null))).ToList();
                var reply = await alice.Link.RequestAsync(c.Request(new StoreReq(resource, 0, [new StoreKindData(KindRegistry.CertificateByUser, 0, [.. values])]),
                    alice.Identity, new ResourceDestination(resource)), c.Timeouts.Answer);
                var refusal = Judge.RefusedWith(reply, ErrorCodes.DataTooLarge, $"{values.Count} values of CERTIFICATE_BY_USER, max-count {maxCount}");
                if (refusal.Verdict == Verdict.Fail) return refusal;
                var fetch = await reader.Link.RequestAsync(c.Request(CertificateUsage.LookupByUser(alice.Identity.UserName!), reader.Identity, new ResourceDestination(resource)), c.Timeouts.Answer);
                var stored = (fetch.Message?.Body as FetchAns)?.KindResponses.Sum(k => k.Values.Count(v => v.Value is ArrayEntry { Value.Exists: true })) ?? 0;
                return stored > maxCount ? Outcome.Fail($"{refusal.Reason}, yet a Fetch returns {stored} values") : refusal;
            });
        yield return Case("TR-5-02", "Honest Stores still succeed after a flood of Stores from other users", ["TR-5"], ["13.5.2", "7.4.1"],
            [],
            "10 users each store 4 near-max-size registrations, as fast as the SUT answers; then alice registers",
            "alice's Store succeeds and her value is served",
            async c =>
            {
                var (alice, _, reader) = await PartiesAsync(c);
                var maxSize = c.Lab.Configuration.RequiredKinds?.FirstOrDefault(k => k.Name == "SIP-REGISTRATION")?.MaxSize ?? 1000;
                for (int i = 0; i < 10; i++)
                {
                    var spammer = await PartyAsync(c, "spam" + i);
                    for (int j = 0; j < 4; j++)
                    {
                        var body = SipUsage.Register(spammer.Identity, AorOf(spammer.Identity), "sip:" + new string('s', Math.Max(10, maxSize - 400)) + "@192.0.2.9",
                            DateTimeOffset.UtcNow.AddMilliseconds(j), 3600);
                        await StoreAsync(c, spammer, body);
                    }
                }
                var (original, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (original is null) return Outcome.Fail($"after the flood, {why}");
                var (values, fetchWhy) = await ValuesAsync(c, reader, AorOf(alice.Identity));
                return values?.Any(v => v.Equals(original)) == true
                    ? Outcome.Pass("after 40 spam Stores from 10 users alice's Store succeeded and her value is served")
                    : Outcome.Fail($"after the flood alice's value is not served ({fetchWhy})");
            });
    }

    private static ConformanceCase Case(string id, string title, string[] threats, string[] rfc, string[] detects, string stimulus, string oracle,
        Func<CaseContext, Task<Outcome>> run) => SuiteCase.AfterPing(id, title, threats, rfc, Parties, stimulus, oracle, run, detects);

    /// <summary>Alice and mallory, users of this case, and one link to the SUT (messages are signed per sender).</summary>
    private static async Task<(Party Alice, Party Mallory, Party Reader)> PartiesAsync(CaseContext c) =>
        (await PartyAsync(c, "alice"), await PartyAsync(c, "mallory"), new Party(c.Lab.Probe, await c.ConnectAsync()));

    private static StoreReq One(Opaque resource, StoredData value) =>
        new(resource, 0, [new StoreKindData(KindRegistry.SipRegistration, 0, [value])]);

    /// <summary>The same Store with one bit of the (first) value's signature flipped.</summary>
    public static StoreReq WithFlippedSignature(StoreReq body)
    {
        var value = body.KindData[0].Values[0];
        var bytes = value.Signature!.Value.Span.ToArray();
        bytes[bytes.Length / 2] ^= 0x01;
        var broken = value with { Signature = value.Signature with { Value = bytes } };
        return body with { KindData = [body.KindData[0] with { Values = [broken] }] };
    }

    /// <summary>A self-signed identity claiming <paramref name="victim"/>'s user name and Node-ID (TR-2b-04).</summary>
    private static Identity SelfSignedAs(CaseContext c, Identity victim)
    {
        var user = victim.UserName!;
        var local = user[..user.IndexOf('@')];
        return c.Lab.IssueSelfSigned(local, victim.NodeId.Span.ToArray());
    }

    /// <summary>After a refused Store: the AOR serves no value (the refusal held).</summary>
    private static async Task<Outcome> NeverServedAsync(CaseContext c, Party reader, string aor, Outcome refusal)
    {
        var (values, why) = await ValuesAsync(c, reader, aor);
        if (values is null) return Outcome.Inconclusive($"{refusal.Reason}; but {why}");
        return values.Count == 0 ? refusal with { Reason = refusal.Reason + "; a Fetch returns no value" }
            : Outcome.Fail($"{refusal.Reason}, yet a Fetch of {aor} returns {values.Count} value(s)");
    }
}
