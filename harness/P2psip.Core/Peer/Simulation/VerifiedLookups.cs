using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Chord;
using P2psip.Peer.Lookup;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Simulation;

/// <summary>
/// Lookups judged by what they return (issue 10): Fetches of SIP-REGISTRATION Resource-IDs, plain
/// or redundant (<see cref="LookupMode"/>), each answer compared with the truth. On a signed ring
/// with storage, peers first register their AORs (signed StoredData, §7.1), and a lookup is correct
/// when it returns exactly the latest registration; otherwise the Resource-IDs are random, nothing
/// is stored there, and a lookup is correct when a member of the true replica set (§10.4) says so
/// with no value. An answer with any other value is wrong (forged or stale); none is "no answer".
/// </summary>
public sealed class VerifiedLookups
{
    private readonly SimulatedRing _ring;
    private readonly List<(Opaque Resource, string Aor, StoredData Value, Opaque Owner)> _registered = [];
    private readonly CertificateStore _certificates = new();

    private VerifiedLookups(SimulatedRing ring) => _ring = ring;

    /// <summary>
    /// Prepares lookups on <paramref name="ring"/>: on a signed ring with storage, <paramref name="registrations"/>
    /// peers (among <paramref name="eligible"/>) register their AOR first; the lookups fetch those.
    /// </summary>
    public static VerifiedLookups Prepare(SimulatedRing ring, int registrations = 0, Func<ReferencePeer, bool>? eligible = null)
    {
        var workload = new VerifiedLookups(ring);
        if (!ring.Signatures || registrations <= 0) return workload;
        var candidates = ring.Live.Where(eligible ?? (_ => true)).ToList();
        var pending = new List<(ReferencePeer Peer, StoreReq Store, Transport.RequestOutcome? Outcome)>();
        for (int i = 0; i < registrations && candidates.Count > 0; i++)
        {
            int pick = ring.Random.Next(candidates.Count);
            var peer = candidates[pick];
            candidates.RemoveAt(pick);
            var identity = peer.Options.Identity!;
            var aor = SipUsage.AorOf(identity.UserName!);
            var store = SipUsage.Register(identity, aor, $"sip:{identity.UserName}", ring.Scheduler.Now, 3600);
            int slot = pending.Count;
            pending.Add((peer, store, null));
            peer.Send(new ResourceDestination(store.Resource), store, o => pending[slot] = (pending[slot].Peer, pending[slot].Store, o));
        }
        ring.RunQuiet();
        foreach (var (peer, store, outcome) in pending)
        {
            if (outcome?.Body is not StoreAns) continue;
            var identity = peer.Options.Identity!;
            workload._certificates.Add(identity.Certificate);
            workload._registered.Add((store.Resource, SipUsage.AorOf(identity.UserName!), store.KindData[0].Values[0], peer.NodeId));
        }
        return workload;
    }

    /// <summary>AORs registered (and stored) before the lookups.</summary>
    public int Registered => _registered.Count;

    /// <summary>
    /// <paramref name="count"/> lookups in <paramref name="mode"/>, each from a random live peer
    /// <paramref name="canOriginate"/> allows, all at once, then the ring runs until quiet.
    /// </summary>
    public VerifiedLookupResults Run(int count, LookupMode mode, Func<ReferencePeer, bool>? canOriginate = null)
    {
        var origins = _ring.Live.Where(canOriginate ?? (_ => true)).ToList();
        var lookups = new List<(int Target, Opaque Resource, LookupResult? Result)>();
        long before = _ring.Network.MessagesDelivered;
        for (int i = 0; i < count && origins.Count > 0; i++)
        {
            int target = -1;
            FetchReq fetch;
            if (_registered.Count > 0)
            {
                target = _ring.Random.Next(_registered.Count);
                fetch = SipUsage.Lookup(_registered[target].Aor);
            }
            else
            {
                var resource = new byte[RingId.Bytes];
                _ring.Random.NextBytes(resource);
                fetch = new FetchReq(resource, [new StoredDataSpecifier(KindRegistry.SipRegistration, 0, new DictionarySpecifier([]))]);
            }
            var origin = origins[_ring.Random.Next(origins.Count)];
            int slot = lookups.Count;
            lookups.Add((target, fetch.Resource, null));
            origin.Lookup(fetch, mode, _certificates, r => lookups[slot] = (lookups[slot].Target, lookups[slot].Resource, r));
        }
        _ring.RunQuiet();
        long messages = _ring.Network.MessagesDelivered - before;
        var sorted = _ring.SortedLive();
        int correct = 0, wrong = 0, none = 0;
        long requests = 0;
        var examples = new List<string>();
        var unanswered = new List<string>();
        foreach (var (target, resource, result) in lookups)
        {
            requests += result?.Requests ?? 0;
            if (result?.Answer is not { } answer)
            {
                none++;
                if (unanswered.Count < 5) unanswered.Add($"{RingId.From(resource)}: {result?.ToString() ?? "no result"}");
                continue;
            }
            bool right = target >= 0 ? Holds(answer, _registered[target]) : EmptyFromReplica(answer, result.Responders, sorted, RingId.From(resource));
            if (right) { correct++; continue; }
            wrong++;
            if (examples.Count < 5)
                examples.Add($"{RingId.From(resource)}: {result} -> [{string.Join(", ", answer.KindResponses.SelectMany(k => k.Values))}] from [{string.Join(", ", result.Responders.Select(r => r.ToHex()))}]");
        }
        return new VerifiedLookupResults(mode, lookups.Count, correct, wrong, none, messages, requests) { WrongExamples = examples, NoAnswerExamples = unanswered };
    }

    /// <summary>Exactly the registration stored, byte for byte (signature included), and no other value.</summary>
    private static bool Holds(FetchAns answer, (Opaque Resource, string Aor, StoredData Value, Opaque Owner) truth)
    {
        var values = answer.KindResponses.Where(k => k.Kind == KindRegistry.SipRegistration)
            .SelectMany(k => k.Values).Where(v => v.Value.Data is { Exists: true }).ToList();
        return values.Count == 1 && values[0].Equals(truth.Value);
    }

    /// <summary>No value, said by the responsible peer or one of its two successors (§10.4).</summary>
    private static bool EmptyFromReplica(FetchAns answer, IReadOnlyList<Opaque> responders, List<RingId> sorted, RingId k)
    {
        if (answer.KindResponses.SelectMany(r => r.Values).Any(v => v.Value.Data is { Exists: true })) return false;
        if (responders.Count == 0 || responders[0].Length != RingId.Bytes) return false;
        int i = sorted.BinarySearch(k);
        if (i < 0) i = ~i;
        var replicas = Enumerable.Range(0, Math.Min(3, sorted.Count)).Select(j => sorted[(i + j) % sorted.Count]).ToHashSet();
        return responders.All(r => replicas.Contains(RingId.From(r)));
    }
}

/// <summary>The results of a batch of verified lookups: correct, wrong (forged or stale) and unanswered, and their cost.</summary>
public sealed record VerifiedLookupResults(LookupMode Mode, int Count, int Correct, int Wrong, int NoAnswer, long Messages, long Requests)
{
    /// <summary>The first few wrong answers, for diagnosis: the lookup, the values taken and who gave them.</summary>
    public IReadOnlyList<string> WrongExamples { get; init; } = [];

    /// <summary>The first few lookups that took no answer, and why (the refusals, the walk's failure).</summary>
    public IReadOnlyList<string> NoAnswerExamples { get; init; } = [];

    public double CorrectRate => Count == 0 ? 1 : (double)Correct / Count;
    public double WrongRate => Count == 0 ? 0 : (double)Wrong / Count;
    public double NoAnswerRate => Count == 0 ? 0 : (double)NoAnswer / Count;
    public double MessagesPerLookup => Count == 0 ? 0 : (double)Messages / Count;

    public override string ToString() =>
        $"{Mode}: {Count} lookups, {CorrectRate:P2} correct, {WrongRate:P2} wrong, {NoAnswerRate:P2} no answer, {MessagesPerLookup:F1} messages per lookup";
}
