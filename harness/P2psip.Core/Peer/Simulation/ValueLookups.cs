using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Lookup;
using P2psip.Peer.Storage;
using P2psip.Peer.Transport;
using P2psip.Wire;

namespace P2psip.Peer.Simulation;

/// <summary>How one value lookup ended, judged as the requester would (§7.4.2.2: it verifies every value).</summary>
public enum LookupVerdict
{
    /// <summary>The answer holds the latest value stored, and its signature verifies against the storer's certificate.</summary>
    Correct,
    /// <summary>The answer holds values, but not the latest one that verifies: forged, stale or changed.</summary>
    Wrong,
    /// <summary>No value came back: a timeout, an error, "not found", or the Store before it failed.</summary>
    NoAnswer,
}

/// <summary>One lookup: who stored, who fetched, where, what came back, and what it cost.</summary>
public sealed record ValueLookup(Opaque Storer, Opaque Fetcher, Opaque ResourceId, LookupVerdict Verdict,
    RequestOutcome? Store, RequestOutcome? Fetch, int Hops, long Messages);

/// <summary>
/// Lookups that read real values, not only routes (issue 10): each one Stores a fresh SIP
/// registration (RFC 7904, the storer's own AOR, signed StoredData, §7.1) from a random peer, then
/// Fetches it (§7.4.2) from another; correct means the answer holds that latest value and it
/// verifies. Needs a signed ring with the real storage engine. Storers and fetchers are drawn from
/// <c>participants</c> (honest peers, in a population) with the ring's seeded random.
/// </summary>
public static class ValueLookups
{
    /// <param name="mode">Plain (the overlay's routing) or redundant (the Store and the Fetch over the routes a walk finds, §13.6.6).</param>
    public static IReadOnlyList<ValueLookup> Run(SimulatedRing ring, int count, IReadOnlyList<ReferencePeer>? participants = null, LookupMode? mode = null)
    {
        var how = mode ?? LookupMode.Plain;
        if (!ring.Signatures) throw new InvalidOperationException("value lookups need a signed ring: the values must verify (§7.1)");
        var peers = (participants ?? ring.Live.ToList()).Where(p => p.State == PeerState.Joined && p.Options.Identity is not null).ToList();
        if (peers.Count < 2) throw new InvalidOperationException("value lookups need at least two live peers");
        var last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var results = new List<ValueLookup>(count);
        for (int i = 0; i < count; i++)
        {
            var storer = peers[ring.Random.Next(peers.Count)];
            var fetcher = peers[ring.Random.Next(peers.Count - 1)];
            if (fetcher == storer) fetcher = peers[^1];
            var identity = storer.Options.Identity!;
            var aor = SipUsage.Scheme + identity.UserName;
            var resource = SipUsage.ResourceIdOf(aor);
            var contact = $"sip:lookup{i}@{ring.Configuration.InstanceName}";
            // storage_time must grow for each new value of an AOR (§7.4.1.1).
            var time = ring.Scheduler.Now;
            if (last.TryGetValue(aor, out var previous) && time <= previous) time = previous.AddMilliseconds(1);
            last[aor] = time;
            long before = ring.Network.MessagesDelivered;
            var register = SipUsage.Register(identity, aor, contact, time, 3600);
            var stored = how.IsRedundant
                ? Wait(ring, done => storer.Store(register, how, done))
                : Send(ring, storer, resource, register);
            RequestOutcome? fetched = null;
            var verdict = LookupVerdict.NoAnswer;
            if (stored?.Body is StoreAns)
            {
                fetched = how.IsRedundant ? Fetch(ring, fetcher, SipUsage.Lookup(aor), how, storer) : Send(ring, fetcher, resource, SipUsage.Lookup(aor));
                verdict = Judge(fetched, aor, contact, storer);
            }
            results.Add(new ValueLookup(storer.NodeId, fetcher.NodeId, resource, verdict, stored, fetched,
                fetched?.Hops ?? 0, ring.Network.MessagesDelivered - before));
        }
        return results;
    }

    private static RequestOutcome? Send(SimulatedRing ring, ReferencePeer from, Opaque resource, MessageBody body) =>
        Wait(ring, done => from.Send(new ResourceDestination(resource), body, done));

    /// <summary>A redundant lookup's answer as an outcome (no hop count: the walk is not one path); null when none was taken.</summary>
    private static RequestOutcome? Fetch(SimulatedRing ring, ReferencePeer from, FetchReq fetch, LookupMode mode, ReferencePeer storer)
    {
        var certificates = new Security.CertificateStore();
        certificates.Add(storer.Options.Identity!.Certificate);
        LookupResult? result = null;
        from.Lookup(fetch, mode, certificates, r => result = r);
        for (int i = 0; i < 1200 && result is null; i++) ring.RunFor(TimeSpan.FromMilliseconds(100));
        return result?.Answer is { } answer ? new RequestOutcome(answer, null, result.Responders[0], 0) : null;
    }

    private static RequestOutcome? Wait(SimulatedRing ring, Action<Action<RequestOutcome>> send)
    {
        RequestOutcome? outcome = null;
        send(o => outcome = o);
        // Until the answer or the local timeout (§6.2.1), not until the ring is quiet: under attack
        // it may never be. The request lifetime bounds the wait.
        for (int i = 0; i < 1200 && outcome is null; i++) ring.RunFor(TimeSpan.FromMilliseconds(100));
        return outcome;
    }

    private static LookupVerdict Judge(RequestOutcome? fetched, string aor, string contact, ReferencePeer storer)
    {
        if (fetched?.Body is not FetchAns answer) return LookupVerdict.NoAnswer;
        var all = SipUsage.ContactsIn(answer, aor);
        // Any value at all (even one that is not a registration, like a forged blob) is an answer.
        if (!answer.KindResponses.Any(r => r.Values.Count > 0)) return LookupVerdict.NoAnswer;
        var verified = SipUsage.ContactsIn(answer, aor, [storer.Options.Identity!.Certificate.Der]);
        var mine = verified.Where(c => c.NodeId == storer.NodeId).ToList();
        return mine.Count == 1 && mine[0].Uri == contact && all.Count(c => c.NodeId == storer.NodeId) == 1
            ? LookupVerdict.Correct
            : LookupVerdict.Wrong;
    }
}

/// <summary>Rates of a batch of value lookups.</summary>
public sealed record ValueLookupSummary(int Count, double CorrectRate, double WrongRate, double NoAnswerRate, double MeanHops, double MessagesPerLookup, long Messages)
{
    public static ValueLookupSummary Of(IReadOnlyList<ValueLookup> lookups)
    {
        int n = lookups.Count;
        double Rate(LookupVerdict v) => n == 0 ? 0 : Math.Round((double)lookups.Count(l => l.Verdict == v) / n, 6);
        var answered = lookups.Where(l => l.Fetch is { IsLocal: false }).ToList();
        long messages = lookups.Sum(l => l.Messages);
        return new ValueLookupSummary(n, Rate(LookupVerdict.Correct), Rate(LookupVerdict.Wrong), Rate(LookupVerdict.NoAnswer),
            answered.Count == 0 ? 0 : Math.Round(answered.Average(l => (double)l.Hops), 3),
            n == 0 ? 0 : Math.Round((double)messages / n, 3), messages);
    }
}
