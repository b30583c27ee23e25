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
/// still consist of parallel searches for replicated registrations", §6.1.1's "a single request
/// MAY also be routed through multiple adjacent peers [...] to improve reliability", with
/// S/Kademlia's disjoint paths and Castro et al.'s redundant routing to the replica set.
/// <list type="number">
/// <item>Paths: d copies of the Fetch to the Resource-ID, each through another first hop of the
/// Routing Table (the honest next hop, then the other peers that precede the Resource-ID, closest
/// first), so the copies start on different paths; if none is answered, d more first hops.</item>
/// <item>Replicas (§10.4: the responsible peer stores each value on its two successors): the
/// Fetch to the Resource-ID just after the responsible peer the answers revealed, which the first
/// replica holder is responsible for, then after that one; unless two replica holders already
/// answered.</item>
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
    /// <summary>The responsible peer and its two successors (§10.4).</summary>
    private const int ReplicaSetSize = 3;

    /// <summary>Transmissions of each copy: one retransmission against a lost message, not five against a dropper.</summary>
    private const int CopyTransmissions = 2;

    private readonly ReferencePeer _peer;
    private readonly FetchReq _fetch;
    private readonly RingId _k;
    private readonly int _paths;
    private readonly CertificateStore? _certificates;
    private readonly Action<LookupResult> _done;
    private readonly IReadOnlyDictionary<uint, StorageKind> _kinds;
    private readonly HashSet<RingId> _known = [];
    private readonly HashSet<RingId> _firstHopsUsed = [];
    private readonly HashSet<RingId> _replicaTargets = [];
    private readonly List<(RingId Responder, FetchAns Answer)> _accepted = [];
    private readonly List<string> _refused = [];
    private readonly HashSet<RingId> _heard = [];
    private int _requests, _answers, _outstanding, _replicasAsked;
    private bool _retried, _finished;

    public RedundantLookup(ReferencePeer peer, FetchReq fetch, int paths, CertificateStore? certificates, Action<LookupResult> done)
    {
        _peer = peer;
        _fetch = fetch;
        _k = RingId.From(fetch.Resource);
        _paths = Math.Max(1, paths);
        _certificates = certificates;
        _done = done;
        _kinds = StorageKind.AllOf(peer.Options.Configuration);
        // What the requester knows of the ring, for the replica-set check: its own tables and itself.
        _known.Add(peer.Self);
        foreach (var n in peer.Chord.Predecessors) _known.Add(n);
        foreach (var n in peer.Chord.Successors) _known.Add(n);
        foreach (var n in peer.Chord.Fingers) _known.Add(n);
    }

    private LookupMode Mode => LookupMode.Redundant(_paths);

    public void Start()
    {
        if (SendPaths() == 0)
        {
            // No other peer to route through (alone, or nothing connected): the transport's own route.
            Send([new ResourceDestination(_fetch.Resource)], replica: false);
        }
    }

    /// <summary>d copies to the Resource-ID through first hops not used yet; returns how many went out.</summary>
    private int SendPaths()
    {
        int sent = 0;
        foreach (var hop in FirstHops())
        {
            if (sent == _paths) break;
            _firstHopsUsed.Add(hop);
            // §6.1.1: a loose source route, the first hop, then the Resource-ID.
            Send([new NodeDestination(hop.ToOpaque()), new ResourceDestination(_fetch.Resource)], replica: false);
            sent++;
        }
        return sent;
    }

    /// <summary>
    /// First hops in the order that spreads paths (S/Kademlia's disjoint paths as far as one
    /// requester's table allows): the next hop the routing would take, then the other connected
    /// peers of the Routing Table that precede the Resource-ID, closest to it first, then the rest.
    /// </summary>
    private IEnumerable<RingId> FirstHops()
    {
        var self = _peer.Self;
        var candidates = _known.Where(n => n != self && _peer.Transport.IsConnected(n) && !_firstHopsUsed.Contains(n)).ToList();
        var honest = ((IOverlayRouting)_peer.Chord).NextHop(_k);
        var preceding = candidates.Where(n => n != honest && RingId.InOpen(n, self, _k)).OrderBy(n => n.DistanceTo(_k));
        var rest = candidates.Where(n => n != honest && !RingId.InOpen(n, self, _k)).OrderBy(n => _k.DistanceTo(n));
        var order = new List<RingId>();
        if (honest is { } h && candidates.Contains(h)) order.Add(h);
        order.AddRange(preceding);
        order.AddRange(rest);
        return order;
    }

    private void Send(ValueList<Destination> destinations, bool replica, bool presumed = false)
    {
        _requests++;
        _outstanding++;
        // §6.2.1 retransmits on the same path, where a dropper drops every copy: the other paths are this request's retries.
        _peer.Transport.SendRequest(destinations, _fetch, outcome => Answered(outcome, replica, presumed), maxTransmissions: CopyTransmissions);
    }

    private void Answered(RequestOutcome outcome, bool replica, bool presumed)
    {
        _outstanding--;
        if (_finished) return;
        if (!outcome.IsLocal) _answers++;
        if ((Verify(outcome) ?? (presumed ? Unsupported(outcome) : null)) is { } why)
        {
            _refused.Add(why);
        }
        else
        {
            var responder = RingId.From(outcome.Responder);
            _known.Add(responder);
            _accepted.Add((responder, (FetchAns)outcome.Body));
        }
        if (replica) AskNextReplica();
        if (_outstanding == 0) Settle();
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
        if (closer >= ReplicaSetSize)
            return $"answered by {responder}, which is not in the replica set of {_k}: {closer} known nodes are closer";
        // Heard from the replica set, even if its values turn out forged: the next replica is after it.
        _heard.Add(responder);
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

    /// <summary>
    /// A node asked only because it may be in the replica set can say "nothing here" without being
    /// in it: its answer counts only with a value that verified (whoever serves a signed value cannot forge it, §13.5.4).
    /// </summary>
    private static string? Unsupported(RequestOutcome outcome) =>
        outcome.Body is FetchAns answer && answer.KindResponses.SelectMany(k => k.Values).Any(v => v.Value.Data is { Exists: true })
            ? null
            : $"{outcome.Responder.ToHex()}, asked as a presumed replica holder, holds no value";

    /// <summary>"exists = False" made up by the storing peer for what it does not hold: no signature to check (§7.4.2.2).</summary>
    private static bool IsSynthetic(StoredData value) =>
        value.Value.Data is { Exists: false } && value.StorageTime == 0
        && value.Signature is not { Identity.IdentityType: SignerIdentity.CertHash or SignerIdentity.CertHashNodeId };

    /// <summary>The replica set (§10.4): the peer after the last one heard from, found as the one responsible for the id just after it.</summary>
    private void AskNextReplica()
    {
        if (_replicasAsked >= ReplicaSetSize - 1 || DistinctAccepted() >= 2) return;
        // The farthest member of the replica set heard from so far.
        var heard = _heard.Where(n => Closer(n) < ReplicaSetSize).OrderBy(n => _k.DistanceTo(n)).ToList();
        if (heard.Count == 0) return;
        var after = heard[^1].Add(1);
        if (!_replicaTargets.Add(after)) return;
        _replicasAsked++;
        Send([new ResourceDestination(after.ToOpaque())], replica: true);
    }

    /// <summary>
    /// No path reached the replica set: ask the nodes of the requester's own tables that come first
    /// at or after the Resource-ID by Node-ID (§6.1.1: a forwarder that knows the node sends it
    /// straight there), if they are near enough to be the replica set — Castro et al.'s density
    /// check, against the mean spacing of this peer's successors (§10.7).
    /// </summary>
    private void AskPresumedReplicas()
    {
        var successors = _peer.Chord.Successors;
        if (successors.Count == 0) return;
        var spacing = _peer.Self.DistanceTo(successors[^1]) / (UInt128)successors.Count;
        var factor = (UInt128)(2 * ReplicaSetSize);
        var reach = spacing > UInt128.MaxValue / factor ? UInt128.MaxValue : spacing * factor;
        foreach (var n in _known.OrderBy(n => _k.DistanceTo(n)).Take(ReplicaSetSize))
        {
            if (_k.DistanceTo(n) > reach) break;
            _replicasAsked = ReplicaSetSize - 1; // no chain after these
            Send([new NodeDestination(n.ToOpaque())], replica: false, presumed: true);
        }
    }

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
        if (_replicasAsked == 0 && DistinctAccepted() < 2)
        {
            if (_accepted.Count == 0 && _answers == 0 && !_retried)
            {
                // No answer at all: once more, through first hops not tried yet.
                _retried = true;
                if (SendPaths() > 0) return;
            }
            AskNextReplica();
            if (_outstanding == 0 && _heard.Count == 0) AskPresumedReplicas();
            if (_outstanding > 0) return;
        }
        _finished = true;
        _done(new LookupResult
        {
            Mode = Mode,
            Answer = _accepted.Count == 0 ? null : Freshest(_accepted.Select(a => a.Answer)),
            Responders = _accepted.Select(a => a.Responder).Distinct().OrderBy(n => _k.DistanceTo(n)).Select(n => n.ToOpaque()).ToList(),
            Requests = _requests,
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
