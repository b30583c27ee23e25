using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Peer.Chord;
using P2psip.Peer.Storage;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Lookup;

/// <summary>
/// A defended Fetch (the redundant-lookups defence): RFC 6940 §13.6.6 "a resource search must
/// still consist of parallel searches for replicated registrations", with S/Kademlia's disjoint
/// paths and Castro et al.'s redundant routing to the replica set.
/// <list type="number">
/// <item>Route: a <see cref="ReplicaWalk"/> the requester controls finds the replica set (§10.4: the
/// responsible peer and its two successors) hop by hop, routing around hops that do not answer or
/// do not forward, instead of recursive copies whose paths all converge on the responsible peer's
/// neighbourhood, where one dropper cuts them all.</item>
/// <item>Replicas: the Fetch to up to d members at once, each over its own route — the direct link,
/// or one forwarder whose table names the member, no forwarder carrying two of them — so no one node
/// is on every path; a route that stays silent (two transmissions) is replaced by the next forwarder.
/// It stops when two answers agree, one of them the responsible peer's, or all three members
/// answered, or every member was tried; d also sets how many failed steps the walk may take and how
/// often it is extended for members left without a route.</item>
/// <item>Each answer is taken only when it verifies: a FetchAns (no error), from a node that can be
/// in the replica set — the requester knows fewer than three nodes closer to the Resource-ID (§6.3.4's
/// response-origin rule widened to the replica set, §10.4) — whose every StoredData signature
/// verifies against a certificate that passes the overlay's validator (§7.1, data-signatures) and
/// whose signer the Kind's policy lets write it (§7.3, access-control).</item>
/// <item>The answer is the freshest value of each entry over the verified answers (highest
/// storage_time, §7.4.1.1; the highest generation of each Kind).</item>
/// </list>
/// Runs under the peer's lock: it is started there and the transport calls back there.
/// </summary>
internal sealed class RedundantLookup
{
    /// <summary>Routes tried per replica-set member before it counts as silent.</summary>
    private const int RoutesPerMember = 3;

    /// <summary>Steps of one extension of the walk: until a new node names a member left without a route (each failed step costs one message).</summary>
    private const int ExtensionSteps = 4;

    private readonly ReferencePeer _peer;
    private readonly FetchReq _fetch;
    private readonly RingId _k;
    private readonly int _paths;
    private readonly CertificateStore? _certificates;
    private readonly Action<LookupResult> _done;
    private readonly IReadOnlyDictionary<uint, StorageKind> _kinds;
    private readonly HashSet<RingId> _known = [];
    private readonly List<(RingId Responder, FetchAns Answer)> _accepted = [];
    private readonly List<string> _refused = [];
    private readonly HashSet<RingId> _forwarding = [];
    private readonly Queue<RingId> _members = new();
    private readonly Dictionary<RingId, int> _tries = [];
    private readonly HashSet<RingId> _directFailed = [];
    private readonly HashSet<RingId> _stalled = [];
    private int _extensions;
    private ReplicaWalk? _walk;
    private RingId? _responsible;
    private int _requests, _answers, _outstanding;
    private bool _finished;

    public RedundantLookup(ReferencePeer peer, FetchReq fetch, int paths, CertificateStore? certificates, Action<LookupResult> done)
    {
        _peer = peer;
        _fetch = fetch;
        _k = RingId.From(fetch.Resource);
        _paths = Math.Max(1, paths);
        _certificates = certificates;
        _done = done;
        _kinds = StorageKind.AllOf(peer.Options.Configuration);
    }

    private LookupMode Mode => LookupMode.Redundant(_paths);

    public void Start()
    {
        // Each further path allows the walk four more failed steps (a failed Attach step is one message: StepTransmissions).
        _walk = new ReplicaWalk(_peer, _k, failuresAllowed: 4 * _paths, Walked);
        _walk.Start();
    }

    private void Walked(ReplicaWalk walk)
    {
        _known.UnionWith(walk.Known);
        if (walk.Replicas.Count == 0)
        {
            _refused.Add(walk.Failure ?? "no replica set found");
            Settle();
            return;
        }
        _responsible = walk.Replicas[0];
        foreach (var member in walk.Replicas) _members.Enqueue(member);
        AskMore();
        if (_outstanding == 0) Stalled();
    }

    /// <summary>
    /// Fetches in flight up to the answers still wanted: d, at most the three members (closest first;
    /// asking only two first saved messages but, when the walk's view of the replica set was one off,
    /// settled on two stale successors), all three once two answers are taken but did not settle it.
    /// </summary>
    private void AskMore()
    {
        int want = DistinctAccepted() >= 2 ? ReplicaWalk.ReplicaSetSize : Math.Min(_paths, ReplicaWalk.ReplicaSetSize);
        while (_members.Count > 0 && _outstanding + DistinctAccepted() < want) Ask(_members.Dequeue());
    }

    /// <summary>
    /// The answers settle the lookup: all three members', or two that agree (the same entries with
    /// the same storage_time, §7.4.1.1) one of which is the responsible peer's. The responsible peer
    /// stores first and replicates (§10.4), so a successor's copy is never fresher than its; a
    /// responsible peer that does not replicate leaves the successors stale, and then the answers
    /// disagree and the third is asked too.
    /// </summary>
    private bool Enough()
    {
        var responders = _accepted.Select(a => a.Responder).Distinct().ToList();
        if (responders.Count >= ReplicaWalk.ReplicaSetSize) return true;
        if (responders.Count < 2) return false;
        return _responsible is { } r && responders.Contains(r) && Agree(_accepted.Select(a => a.Answer).ToList());
    }

    /// <summary>Whether every answer holds the same entries with the same storage_time.</summary>
    internal static bool Agree(IReadOnlyList<FetchAns> answers)
    {
        static HashSet<(uint, string, ulong)> Entries(FetchAns a) =>
            a.KindResponses.SelectMany(k => k.Values.Where(v => !IsSynthetic(v)).Select(v => (k.Kind, EntryKey(v.Value), v.StorageTime))).ToHashSet();
        var first = Entries(answers[0]);
        return answers.Skip(1).All(a => Entries(a).SetEquals(first));
    }

    /// <summary>The Fetch to <paramref name="member"/> over its next route (no forwarder already carrying another copy, none that failed).</summary>
    private void Ask(RingId member)
    {
        int tries = _tries.GetValueOrDefault(member);
        // The responsible peer gets twice the routes: without its answer the successors' copies may be older (§10.4).
        int routes = member == _responsible ? 2 * RoutesPerMember : RoutesPerMember;
        var route = tries >= routes ? null
            : _walk!.RoutesTo(member, _forwarding).FirstOrDefault(r => r.Length > 1 || !_directFailed.Contains(member));
        // A one-entry route (the direct link, or the overlay's own route to the Node-ID) is taken once.
        if (route is null)
        {
            _stalled.Add(member);
            return;
        }
        _tries[member] = tries + 1;
        RingId? forwarder = route.Length > 1 ? RingId.From(((NodeDestination)route[0]).NodeId) : null;
        if (forwarder is { } f) _forwarding.Add(f);
        _requests++;
        _outstanding++;
        _peer.Transport.SendRequest(new ValueList<Destination>(route), _fetch, outcome =>
        {
            _outstanding--;
            if (forwarder is { } used) _forwarding.Remove(used);
            if (_finished) return;
            if (!outcome.IsLocal) _answers++;
            if (outcome.IsLocal)
            {
                // Silent: the forwarder did not forward (or the member did not answer); the next route.
                if (forwarder is { } silent) _walk!.Distrust(silent);
                else _directFailed.Add(member);
                Ask(member);
            }
            else if (Verify(outcome) is { } why) _refused.Add(why);
            else _accepted.Add((RingId.From(outcome.Responder), (FetchAns)outcome.Body));
            if (Enough()) { Settle(); return; }
            AskMore();
            if (_outstanding == 0) Stalled();
        }, maxTransmissions: ReplicaWalk.AnswerTransmissions);
    }

    /// <summary>
    /// Nothing in flight and the answers do not settle it: if members are left without a route (with
    /// two answers taken, only the responsible peer counts: the successors' copies come from it), the
    /// walk links to one more node of the neighbourhood (a new forwarder to them), then they are
    /// asked again; otherwise the freshest of the answers taken is the answer.
    /// </summary>
    private void Stalled()
    {
        bool responsibleLeft = _responsible is { } r && _stalled.Contains(r);
        if (_stalled.Count == 0 || _extensions >= _paths || (DistinctAccepted() >= 2 && !responsibleLeft))
        {
            foreach (var member in _stalled) _refused.Add($"{member}: no route left");
            Settle();
            return;
        }
        _extensions++;
        _walk!.Extend(steps: ExtensionSteps, _stalled.ToHashSet(), walk =>
        {
            _known.UnionWith(walk.Known);
            var again = walk.Replicas.Where(m => _stalled.Contains(m) || !_tries.ContainsKey(m)).ToList();
            _stalled.Clear();
            foreach (var m in again) _tries[m] = 0;
            foreach (var m in again) _members.Enqueue(m);
            if (walk.Replicas.Count > 0) _responsible = walk.Replicas[0];
            AskMore();
            if (_outstanding == 0) Stalled();
        });
    }

    /// <summary>Null when the answer can be taken; otherwise why not.</summary>
    private string? Verify(RequestOutcome outcome)
    {
        if (outcome.IsError) return outcome.ToString();
        if (outcome.Body is not FetchAns answer) return $"a {MessageCodes.NameOf(outcome.Body.Code)} is not a FetchAns";
        if (outcome.Responder.Length != RingId.Bytes) return "the answer names no responder";
        var responder = RingId.From(outcome.Responder);
        int closer = Closer(responder);
        // §10.4, §6.3.4: only the responsible peer and its two successors hold the values.
        if (closer >= ReplicaWalk.ReplicaSetSize)
            return $"answered by {responder}, which is not in the replica set of {_k}: {closer} known nodes are closer";
        var defences = _peer.Options.Defences;
        if (!defences.IsOn(DefenceSwitches.DataSignatures)) return null;
        var bucket = outcome.Response is { } m
            ? MessageSigner.ParseAll(m.Security.Certificates.Where(c => c.Type == GenericCertificate.X509).Select(c => c.Certificate))
            : [];
        foreach (var kind in answer.KindResponses)
        {
            foreach (var value in kind.Values)
            {
                if (IsSynthetic(value)) continue;
                var check = MessageSigner.VerifyStoredData(_fetch.Resource, kind.Kind, value, bucket, _certificates, _peer.Options.Validator);
                if (!check.Valid) return $"{responder} answered a value of Kind {kind.Kind} whose signature does not verify: {check.Failure} (§7.1)";
                if (defences.IsOn(DefenceSwitches.AccessControl) && _kinds.TryGetValue(kind.Kind, out var storageKind)
                    && AccessControl.Check(storageKind, _fetch.Resource, value.Value, check.Certificate!, check.SignerNodeId) is { } refusal)
                    return $"{responder} answered a value of Kind {kind.Kind} its signer may not write: {refusal} (§7.3)";
            }
        }
        return null;
    }

    /// <summary>"exists = False" made up by the storing peer for what it does not hold: no signature to check (§7.4.2.2).</summary>
    private static bool IsSynthetic(StoredData value) =>
        value.Value.Data is { Exists: false } && value.StorageTime == 0
        && value.Signature is not { Identity.IdentityType: SignerIdentity.CertHash or SignerIdentity.CertHashNodeId };

    /// <summary>How many nodes the requester knows that are closer to the Resource-ID than <paramref name="node"/> (clockwise, §10.1).</summary>
    private int Closer(RingId node)
    {
        var distance = _k.DistanceTo(node);
        int closer = 0;
        foreach (var n in _known)
            if (n != node && _k.DistanceTo(n) < distance) closer++;
        return closer;
    }

    private int DistinctAccepted() => _accepted.Select(a => a.Responder).Distinct().Count();

    private void Settle()
    {
        if (_finished) return;
        _finished = true;
        _walk?.Release();
        _done(new LookupResult
        {
            Mode = Mode,
            Answer = _accepted.Count == 0 ? null : Freshest(_accepted.Select(a => a.Answer)),
            Responders = _accepted.Select(a => a.Responder).Distinct().OrderBy(n => _k.DistanceTo(n)).Select(n => n.ToOpaque()).ToList(),
            Requests = _requests + (_walk?.Requests ?? 0),
            Answers = _answers,
            Accepted = _accepted.Count,
            Refused = _refused,
        });
    }

    /// <summary>Per Kind the highest generation, per entry the value with the highest storage_time (§7.4.1.1).</summary>
    internal static FetchAns Freshest(IEnumerable<FetchAns> answers)
    {
        var kinds = new Dictionary<uint, (ulong Generation, Dictionary<string, StoredData> Values, List<string> Order)>();
        var kindOrder = new List<uint>();
        foreach (var answer in answers)
        {
            foreach (var response in answer.KindResponses)
            {
                if (!kinds.TryGetValue(response.Kind, out var slot))
                {
                    slot = (response.Generation, [], []);
                    kindOrder.Add(response.Kind);
                }
                slot.Generation = Math.Max(slot.Generation, response.Generation);
                foreach (var value in response.Values)
                {
                    var key = EntryKey(value.Value);
                    if (!slot.Values.TryGetValue(key, out var held)) slot.Order.Add(key);
                    if (held is null || value.StorageTime > held.StorageTime) slot.Values[key] = value;
                }
                kinds[response.Kind] = slot;
            }
        }
        return new FetchAns(kindOrder.Select(k => new FetchKindResponse(k, kinds[k].Generation,
            kinds[k].Order.Select(key => kinds[k].Values[key]).ToArray())).ToArray());
    }

    private static string EntryKey(StoredDataValue value) => value switch
    {
        SingleValueEntry => "single",
        ArrayEntry a => "array:" + a.Index,
        DictionaryEntry d => "dict:" + d.Key.ToHex(),
        UninterpretedValue u => "opaque:" + u.Bytes.ToHex(),
        _ => "?",
    };
}
