using P2psip.Conformance.Probe;
using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Conformance.Catalogue;

/// <summary>
/// Store and Fetch as the storage cases use them (§7.4.1, §7.4.2), each user with an AOR of its
/// own per case so cases never see each other's data.
/// </summary>
internal static class StorageSteps
{
    /// <summary>An enrolled user whose name is unique to this case (its AOR is sip:name@overlay).</summary>
    public static Identity User(CaseContext c, string name) => c.Lab.Issue($"{name}.{c.Case.Id.ToLowerInvariant()}.{c.Random.Next(100000, 999999)}");

    public static string AorOf(Identity identity) => SipUsage.AorOf(identity.UserName!);

    /// <summary>A user of this case with its own link to the SUT: a message's signer must be its link's Node-ID (§13.6.3).</summary>
    public static async Task<Party> PartyAsync(CaseContext c, string name, Identity? identity = null)
    {
        identity ??= User(c, name);
        return new Party(identity, await c.ConnectAsync(identity, name));
    }

    public static Task<ProbeReply> StoreAsync(CaseContext c, Party sender, StoreReq body) =>
        sender.Link.RequestAsync(c.Request(body, sender.Identity, new ResourceDestination(body.Resource)), c.Timeouts.Answer);

    public static Task<ProbeReply> FetchAsync(CaseContext c, Party reader, string aor) =>
        reader.Link.RequestAsync(c.Request(SipUsage.Lookup(aor), reader.Identity, new ResourceDestination(SipUsage.ResourceIdOf(aor))), c.Timeouts.Answer);

    /// <summary>A registration of <paramref name="owner"/>'s own AOR, now, stored; null and the reason when the SUT refused it.</summary>
    public static async Task<(StoredData? Value, string Why)> RegisterAsync(CaseContext c, Party owner, string contact, DateTimeOffset? at = null)
    {
        var body = SipUsage.Register(owner.Identity, AorOf(owner.Identity), contact, at ?? DateTimeOffset.UtcNow, 3600);
        var reply = await StoreAsync(c, owner, body);
        return reply.Message?.Body is StoreAns ? (body.KindData[0].Values[0], "") : (null, $"the owner's own Store was refused ({reply})");
    }

    /// <summary>The values of SIP-REGISTRATION at <paramref name="aor"/>, or null and why when the Fetch failed.</summary>
    public static async Task<(IReadOnlyList<StoredData>? Values, string Why)> ValuesAsync(CaseContext c, Party reader, string aor)
    {
        var reply = await FetchAsync(c, reader, aor);
        if (reply.Message?.Body is not FetchAns answer) return (null, $"the Fetch of {aor} got {reply}");
        return (answer.KindResponses.Where(k => k.Kind == KindRegistry.SipRegistration).SelectMany(k => k.Values).ToList(), "");
    }

    /// <summary>
    /// The oracle after a refused modification: the Store was refused, and a Fetch returns the
    /// owner's value byte for byte (TR-2b, TR-2c).
    /// </summary>
    public static async Task<Outcome> RefusedAndIntactAsync(CaseContext c, Party reader, ProbeReply attack, ushort expected, string what, string aor, StoredData original)
    {
        var refusal = Judge.RefusedWith(attack, expected, what);
        var (values, why) = await ValuesAsync(c, reader, aor);
        if (values is null) return Outcome.Inconclusive($"{refusal.Reason}; but the value could not be read back: {why}");
        bool intact = values.Any(v => v.Equals(original));
        bool altered = values.Any(v => v.Value is DictionaryEntry d && original.Value is DictionaryEntry o && d.Key == o.Key && !v.Equals(original));
        if (refusal.Verdict == Verdict.Fail || !intact || altered)
            return Outcome.Fail($"{refusal.Reason}; afterwards the owner's value is {(intact && !altered ? "still there" : "changed or gone")} ({values.Count} value(s) at {aor})");
        return refusal with { Reason = refusal.Reason + "; the owner's value is still there byte for byte" };
    }
}

/// <summary>A harness user and its own link to the SUT.</summary>
internal sealed record Party(Identity Identity, ProbeLink Link);
