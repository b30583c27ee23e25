using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Peer.Transport;
using P2psip.Wire;

namespace P2psip.Peer.Chord;

/// <summary>
/// CHORD-RELOAD (§10) as one component behind <see cref="IOverlayRouting"/>: the Neighbor and
/// Finger Tables and the protocol that keeps them, i.e. Attach without ICE (§6.5.1), joining as
/// the Joining Node and as the Admitting Peer (§10.5), Updates under the attach-before-update rule
/// and failure handling (§10.7), leaving (§10.9), RouteQuery (§10.8), Probe (§6.4.2.5) and the
/// stabilisation timers (§10.7.4). The <see cref="ReferencePeer"/> owns it, hands it the topology
/// requests, and serialises every call under its lock; the persona hooks of
/// <see cref="IPeerBehaviour"/> are consulted here for the next hop and the answers.
/// </summary>
public sealed class ChordReload : IOverlayRouting
{
    private readonly ReferencePeer _peer;
    private readonly PeerOptions _options;
    private readonly IPeerLinkLayer _linkLayer;
    private readonly IStorageHandler? _storage;
    private readonly object _gate;
    private readonly NeighborTable _neighbors;
    private readonly FingerTable _fingers;
    private readonly ChordRouting _routing;
    private readonly List<IDisposable> _timers = [];
    private MessageTransport _transport = null!;
    private DateTimeOffset _startedAt;

    // The protocol's state: attaches in flight (§10.7.3), peers that left (§10.9), the join (§10.5), coalesced Updates.
    private readonly HashSet<RingId> _updateWhenLinked = [];
    private RingId? _admittingPeer, _bootstrapPeer;
    private Action<string?>? _joinDone;
    private bool _joinRequested;
    private int _updatesFromAdmitting;
    private readonly HashSet<RingId> _pendingAttaches = [];
    private readonly HashSet<RingId> _departed = [];
    private bool _updatesScheduled, _updatesToAll;
    private ResourceRange? _lastRange;
    private List<RingId> _lastReplicas = [];

    internal ChordReload(ReferencePeer peer, PeerOptions options, IPeerLinkLayer linkLayer, IStorageHandler? storage, object gate)
    {
        _peer = peer;
        _options = options;
        _linkLayer = linkLayer;
        _storage = storage;
        _gate = gate;
        Self = RingId.From(options.NodeId);
        _neighbors = new NeighborTable(Self, options.Chord.NeighborCount);
        _fingers = new FingerTable(Self, options.Chord.FingerCount);
        _routing = new ChordRouting(_neighbors, _fingers);
    }

    /// <summary>Connects the component to the transport that routes through it (built after it).</summary>
    internal void Bind(MessageTransport transport)
    {
        _transport = transport;
        _transport.LinkUp += OnLinkUp;
        _transport.LinkLost += OnLinkLost;
    }

    public RingId Self { get; }
    private Opaque NodeId => _options.NodeId;
    public PeerState State
    {
        get => _state;
        private set
        {
            if (_state == value) return;
            _state = value;
            StateChanged?.Invoke();
        }
    }

    private PeerState _state = PeerState.Created;

    /// <summary>After every change of <see cref="State"/>: lets the simulator keep its list of live peers without scanning them all.</summary>
    internal event Action? StateChanged;

    /// <summary>This peer's range of responsibility, (predecessor, self] (§10.1).</summary>
    public ResourceRange Responsible => _neighbors.Responsible;
    public IReadOnlyList<RingId> Predecessors => _neighbors.Predecessors;
    public IReadOnlyList<RingId> Successors => _neighbors.Successors;
    public IEnumerable<RingId> Fingers => _fingers.Distinct;

    /// <summary>Whether this peer is responsible for <paramref name="id"/> by its current tables (also while joining).</summary>
    public bool Covers(RingId id) => _routing.IsResponsible(id);

    // ---------------------------------------------------------------- IOverlayRouting

    bool IOverlayRouting.IsResponsible(RingId id) => State == PeerState.Joined && _routing.IsResponsible(id);

    RingId? IOverlayRouting.NextHop(RingId target) => _options.Behaviour.NextHop(_peer, target, NextHop(target));

    IEnumerable<RingId> IOverlayRouting.Neighbors => _neighbors.All;

    private RingId? NextHop(RingId target)
    {
        var next = _routing.NextHop(target, _transport.IsConnected);
        if (next is null && State == PeerState.Joining)
        {
            // §10.5: until it has joined, a peer sends everything through its admitting or bootstrap peer.
            if (_admittingPeer is { } ap && _transport.IsConnected(ap)) return ap;
            if (_bootstrapPeer is { } bp && _transport.IsConnected(bp)) return bp;
        }
        return next;
    }

    // ---------------------------------------------------------------- life cycle

    /// <summary>Starts the first peer of an overlay: a ring of one, responsible for everything.</summary>
    internal void StartFirst()
    {
        Listen();
        State = PeerState.Joined;
        OnJoined();
    }

    private void Listen()
    {
        _startedAt = _options.Scheduler.Now;
        _linkLayer.Listen(link => { lock (_gate) { if (State != PeerState.Stopped) _transport.Adopt(link); else link.Close(); } });
    }

    /// <summary>Stops everything at once (a crash): timers, links, listening.</summary>
    internal void Crash()
    {
        StopTimers();
        State = PeerState.Stopped;
        _transport.CloseAll();
        _linkLayer.Shutdown();
    }

    private void StopTimers()
    {
        foreach (var t in _timers) t.Dispose();
        _timers.Clear();
    }

    // ---------------------------------------------------------------- Attach (§6.5.1)

    /// <summary>
    /// Attaches to whoever answers for <paramref name="destinations"/>; <paramref name="done"/> gets the
    /// responder's Node-ID once a link authenticated as that Node-ID is up, or null.
    /// </summary>
    /// <param name="failed">Told why, when <paramref name="done"/> gets null: the error response, or the link's failure.</param>
    /// <param name="maxTransmissions">Fewer transmissions than the peer's (a lookup's step, which routes around a silent hop instead).</param>
    private void AttachTo(Messages.Destination[] destinations, bool sendUpdate, Action<RingId?> done, Action<string>? failed = null, int? maxTransmissions = null)
    {
        // §6.5.1.1: the offerer's role MUST be "passive", the answerer's "active".
        var body = new AttachReq(RandomBytes(8), RandomBytes(16), Text(OffererRole), [HostCandidate()], sendUpdate);
        _transport.SendRequest(new Wire.ValueList<Messages.Destination>(destinations), body, maxTransmissions: maxTransmissions, done: outcome =>
        {
            if (outcome.Body is not AttachAns answer || State == PeerState.Stopped) { failed?.Invoke($"{outcome}"); done(null); return; }
            var responder = RingId.From(outcome.Responder);
            if (responder == Self) { failed?.Invoke("this peer answered its own Attach (is the bootstrap this peer, or its Node-ID in use?)"); done(null); return; }
            if (_transport.IsConnected(responder)) { done(responder); return; }
            var candidate = answer.Candidates.FirstOrDefault(c => c.OverlayLink == _linkLayer.LinkProtocol) ?? answer.Candidates.FirstOrDefault();
            if (candidate is null) { failed?.Invoke("the AttachAns has no candidate"); done(null); return; }
            _transport.Connect(candidate.AddrPort, outcome.Responder, (id, why) =>
            {
                if (id is null) failed?.Invoke($"the link to {candidate.AddrPort} failed: {why}");
                done(id);
            });
        });
    }

    /// <summary>
    /// A lookup's Attach (§6.5.1) along <paramref name="route"/> (source-routed through the peer that
    /// named the target, as §10.7.3 attaches to Update candidates); with <paramref name="sendUpdate"/>
    /// the target sends its Routing Table once the link is up (§10.5 step 2), to <see cref="UpdateHeard"/>.
    /// </summary>
    internal void AttachForLookup(Messages.Destination[] route, bool sendUpdate, int maxTransmissions, Action<RingId?> done) =>
        AttachTo(route, sendUpdate, done, maxTransmissions: maxTransmissions);

    /// <summary>
    /// Updates a lookup asked for (send_update on its Attach or RouteQuery): true when one took it.
    /// An Update taken so from a peer outside the Neighbor Table is the lookup's alone (it does not
    /// change this peer's tables: the lookup's peers are not its neighbours or fingers).
    /// </summary>
    internal Func<RingId, ChordUpdate, bool>? UpdateHeard { get; set; }

    internal void HandleAttach(Transport.IncomingRequest request, AttachReq attach)
    {
        if (!attach.Role.Span.SequenceEqual(OffererRoleBytes))
        {
            request.Reply(ErrorResponse.Of(ErrorCodes.InvalidMessage,
                $"the Attach role is \"{System.Text.Encoding.UTF8.GetString(attach.Role.Span)}\"; the offerer's MUST be \"passive\" (§6.5.1.1)"));
            return;
        }
        request.Reply(new AttachAns(RandomBytes(8), RandomBytes(16), Text(AnswererRole), [HostCandidate()], false));
        if (!attach.SendUpdate || request.Origin.IsEmpty) return;
        // §10.5 step 2: send_update asks for our Routing Table once the link is up.
        var origin = RingId.From(request.Origin);
        if (_transport.IsConnected(origin)) SendUpdate(origin, FullUpdate());
        else if (_updateWhenLinked.Count < _options.MaxPendingAttaches) _updateWhenLinked.Add(origin);
    }

    private void OnLinkUp(RingId id)
    {
        if (_updateWhenLinked.Remove(id)) SendUpdate(id, FullUpdate());
    }

    private static Wire.Opaque Text(string text) => Wire.Opaque.Utf8(text);

    /// <summary>The roles of §6.5.1.1 (RFC 4145 attributes): the peer sending the Attach request is "passive".</summary>
    internal const string OffererRole = "passive", AnswererRole = "active";
    private static readonly byte[] OffererRoleBytes = System.Text.Encoding.UTF8.GetBytes(OffererRole);

    // ---------------------------------------------------------------- join (§10.5)

    /// <summary>Joins through a bootstrap peer; <paramref name="done"/> gets null on success or the reason it failed.</summary>
    internal void Join(IpAddressPort bootstrap, Action<string?> done)
    {
        lock (_gate)
        {
            if (State != PeerState.Created) throw new InvalidOperationException($"the peer is {State}");
            Listen();
            State = PeerState.Joining;
            _joinDone = done;
            // §10.5 step 1: connect to the bootstrap node.
            _transport.Connect(bootstrap, null, (id, why) =>
            {
                if (id is null) { FailJoin($"cannot reach the bootstrap peer: {why}"); return; }
                _bootstrapPeer = id;
                // Step 2: Attach to the Admitting Peer, responsible for n+1, asking for its Routing Table.
                string? cause = null;
                AttachTo([new ResourceDestination(Self.Add(1).ToOpaque())], sendUpdate: true, ap =>
                {
                    if (ap is null) { FailJoin($"the Attach to the admitting peer failed: {cause ?? "no reason given"}"); return; }
                    _admittingPeer = ap;
                    Admit([ap.Value]);
                    // Its Update (send_update) brings the neighbours to attach to (step 3); join when
                    // those attaches are done, or after one reliability timer if no Update comes.
                    _options.Scheduler.Schedule(_options.ReliabilityTimer, () => { lock (_gate) SendJoin(); });
                }, failed: why => cause = why);
            });
        }
    }

    // ---------------------------------------------------------------- bulk join (the simulator's option)

    /// <summary>
    /// The simulator's bulk join: the peer takes the tables a joined peer holds (§10.3; the caller
    /// computes them from the sorted ring, §10.1: the closest peers either side, and for finger i the
    /// first peer at or after self + 2^(128-i)), listens, and is Joined with its timers as after a join.
    /// The links follow (<see cref="LinkPlaced"/>), then <see cref="SettlePlaced"/> does what a join's
    /// last step does. Not an operation of the protocol: a joined peer's state reached without it.
    /// </summary>
    internal void PlaceJoined(List<RingId> neighbors, List<RingId> fingers)
    {
        lock (_gate)
        {
            if (State != PeerState.Created) throw new InvalidOperationException($"the peer is {State}");
            Listen();
            _neighbors.Add(neighbors);
            foreach (var id in neighbors) _fingers.Offer(id);
            foreach (var id in fingers) _fingers.Offer(id);
            State = PeerState.Joined;
            OnJoined();
        }
    }

    /// <summary>The range and replica set storage was last told of (§10.4): what a later change is compared with.</summary>
    internal (ResourceRange? Range, IReadOnlyList<RingId> Replicas) LastResponsibility => (_lastRange, _lastReplicas);

    /// <summary>Finger Table entry i (1-based, §10.7.4.2), for comparing tables entry by entry.</summary>
    internal RingId? FingerEntry(int i) => _fingers[i];

    /// <summary>Whether <paramref name="id"/> is in this peer's Neighbor or Finger Table (the Routing Table, §10.3).</summary>
    internal bool InRoutingTable(RingId id) => _neighbors.Contains(id) || _fingers.Contains(id);

    /// <summary>The distinct peers of the Routing Table, neighbours first (§10.3).</summary>
    internal IEnumerable<RingId> RoutingTable => _routing.RoutingTable;

    /// <summary>Opens the link to a Routing Table entry that the Attach of a join would open (§6.5.1, NO-ICE: straight to its address).</summary>
    internal void LinkPlaced(RingId id, IpAddressPort address)
    {
        lock (_gate) _transport.Connect(address, id.ToOpaque(), (_, _) => { });
    }

    /// <summary>
    /// A placed peer's join step 9 (§10.5) once its links are up: storage is told its range and
    /// replica set (§10.4), and Updates go to every neighbour, which check them as any (§10.7.3).
    /// </summary>
    internal void SettlePlaced()
    {
        lock (_gate)
        {
            if (State != PeerState.Joined) return;
            ResponsibilityMaybeChanged();
            SendNeighborUpdates(toAllConnections: false);
        }
    }

    private void FailJoin(string why)
    {
        var done = _joinDone;
        _joinDone = null;
        State = PeerState.Stopped;
        _transport.CloseAll();
        _linkLayer.Shutdown();
        done?.Invoke(why);
    }

    /// <summary>Step 3 is over when no neighbour Attach is still running: send the Join (step 5).</summary>
    private void MaybeSendJoin()
    {
        if (State == PeerState.Joining && _pendingAttaches.Count == 0 && _admittingPeer is not null && _updatesFromAdmitting > 0) SendJoin();
    }

    private void SendJoin()
    {
        if (State != PeerState.Joining || _joinRequested || _admittingPeer is not { } ap) return;
        _joinRequested = true;
        _transport.SendRequest([new NodeDestination(ap.ToOpaque())], new JoinReq(NodeId, Wire.Opaque.Empty), outcome =>
        {
            if (outcome.Body is not JoinAns) { FailJoin($"the Join was refused: {outcome}"); return; }
            State = PeerState.Joined;
            OnJoined();
            // Step 9: Updates to every peer of the Neighbor Table.
            ResponsibilityMaybeChanged();
            SendNeighborUpdates(toAllConnections: false);
            StartFingerSearch(initial: true);
            var done = _joinDone;
            _joinDone = null;
            done?.Invoke(null);
        });
    }

    private void OnJoined()
    {
        if (!_options.Chord.Stabilize) return;
        ScheduleUpdateTimer();
        SchedulePingTimer();
    }

    /// <summary>The Admitting Peer's side (§10.5 steps 5–8).</summary>
    internal void HandleJoin(IncomingRequest request, JoinReq join)
    {
        var joining = RingId.From(join.JoiningPeerId);
        if (State != PeerState.Joined)
        {
            request.Reply(ErrorResponse.Of(ErrorCodes.Forbidden, "this peer is not part of the ring"));
            return;
        }
        // UN-3/UN-5: a Join counts only when it comes over the link bound to the joining Node-ID.
        if (_options.Defences.IsOn(DefenceSwitches.JoinLeaveBinding) && !BoundTo(request, join.JoiningPeerId))
        {
            request.Reply(ErrorResponse.Of(ErrorCodes.Forbidden, "a Join must come directly from the joining peer"));
            return;
        }
        if (joining == Self)
        {
            request.Reply(ErrorResponse.Of(ErrorCodes.Forbidden, "that is this peer's Node-ID"));
            return;
        }
        var oldRange = _neighbors.Responsible;
        request.Reply(new JoinAns(Wire.Opaque.Empty));
        // Step 6: Stores of the data the joining peer becomes responsible for.
        if (_storage is not null && oldRange.Contains(joining))
            foreach (var store in _storage.HandoverRequests(new ResourceRange(oldRange.From, joining)))
                _transport.SendRequest([new NodeDestination(join.JoiningPeerId)], store, _ => { });
        // Steps 7–8: it enters our Neighbor Table; Updates go to every neighbour (including it).
        Admit([joining]);
    }

    /// <summary>Whether the request came straight from <paramref name="nodeId"/> over its own link, signed by it.</summary>
    private static bool BoundTo(IncomingRequest request, Wire.Opaque nodeId) =>
        request.Direct && request.PreviousHop == nodeId
        && (request.Signature is null || request.Signature.Certificate is null || request.Signature.Certificate.NodeIds.Contains(nodeId));

    // ---------------------------------------------------------------- leave (§10.9)

    /// <summary>
    /// Hands this peer's data to its successor, sends Leave to every neighbour (from_pred to
    /// successors, from_succ to predecessors), waits for their answers (or their timeouts), then
    /// closes every link. <paramref name="done"/> runs once it is over.
    /// </summary>
    internal void Leave(Action done)
    {
        lock (_gate)
        {
            if (State != PeerState.Joined)
            {
                Crash();
                done();
                return;
            }
            StopTimers();
            var requests = new List<(RingId To, MessageBody Body)>();
            if (_storage is not null && _neighbors.Successors.Count > 0)
                foreach (var store in _storage.HandoverRequests(_neighbors.Responsible))
                    requests.Add((_neighbors.Successors[0], store));
            foreach (var p in _neighbors.Predecessors)
                requests.Add((p, new LeaveReq(NodeId, ChordLeaveData.FromSucc(Ids(_neighbors.Successors)))));
            foreach (var s in _neighbors.Successors.Except(_neighbors.Predecessors))
                requests.Add((s, new LeaveReq(NodeId, ChordLeaveData.FromPred(Ids(_neighbors.Predecessors)))));
            int outstanding = requests.Count;
            void Finish()
            {
                State = PeerState.Stopped;
                _transport.CloseAll();
                _linkLayer.Shutdown();
                done();
            }
            if (outstanding == 0) { Finish(); return; }
            foreach (var (to, body) in requests)
                _transport.SendRequest([new NodeDestination(to.ToOpaque())], body, _ => { if (--outstanding == 0) Finish(); });
        }
    }

    internal void HandleLeave(IncomingRequest request, LeaveReq leave)
    {
        // UN-3/UN-5: a Leave counts only from the channel bound to the leaving Node-ID.
        if (_options.Defences.IsOn(DefenceSwitches.JoinLeaveBinding) && !BoundTo(request, leave.LeavingPeerId))
        {
            request.Reply(ErrorResponse.Of(ErrorCodes.Forbidden, "a Leave must come directly from the leaving peer"));
            return;
        }
        request.Reply(new LeaveAns());
        var leaving = RingId.From(leave.LeavingPeerId);
        if (leaving == Self) return;
        // §10.9: as if the peer had failed (§10.7.1); its lists suggest the replacements.
        if (_departed.Count < 256) _departed.Add(leaving);
        PeerFailed(leaving);
        Consider(leave.OverlaySpecificData.NodeIds.Select(RingId.From).ToList(), learnedFrom: null);
    }

    // ---------------------------------------------------------------- updates, failures, stabilisation (§10.7)

    /// <summary>Attaches to Update candidates still running (bounded by <see cref="PeerOptions.MaxPendingAttaches"/>).</summary>
    public int PendingAttachCount { get { lock (_gate) return _pendingAttaches.Count; } }

    internal void HandleUpdate(IncomingRequest request, ChordUpdate update)
    {
        request.Reply(_options.Behaviour.AnswerUpdate(_peer, request, new UpdateAns(Opaque.Empty)));
        if (request.Origin.IsEmpty) return;
        var sender = RingId.From(request.Origin);
        if (UpdateHeard?.Invoke(sender, update) == true && !_neighbors.All.Contains(sender)) return;
        List<RingId> candidates;
        switch (update)
        {
            case NeighborsUpdate n:
                candidates = new List<RingId>(1 + n.Predecessors.Count + n.Successors.Count) { sender };
                AddIds(candidates, n.Predecessors);
                AddIds(candidates, n.Successors);
                break;
            case FullUpdate f:
                candidates = new List<RingId>(1 + f.Predecessors.Count + f.Successors.Count + f.Fingers.Count) { sender };
                AddIds(candidates, f.Predecessors);
                AddIds(candidates, f.Successors);
                AddIds(candidates, f.Fingers);
                break;
            default:
                candidates = [sender];
                break;
        }
        // The admitting peer's Update may overtake its AttachAns on another path: any Update moves the join on.
        if (State == PeerState.Joining) _updatesFromAdmitting++;
        Consider(candidates, learnedFrom: sender);
        MaybeSendJoin();
    }

    private static void AddIds(List<RingId> to, ValueList<Opaque> ids)
    {
        foreach (var id in ids.AsSpan()) to.Add(RingId.From(id));
    }

    /// <summary>
    /// §10.7.3: Node-IDs that would improve the Neighbor Table are attached to first (source-routed
    /// through the peer that named them, §10.6) and enter the table only once the Attach succeeded.
    /// With the attach-before-update defence off they enter at once, before any Attach (the UN-4 vulnerable variant).
    /// </summary>
    private void Consider(List<RingId> candidates, RingId? learnedFrom)
    {
        bool checkFirst = _options.Defences.IsOn(DefenceSwitches.AttachBeforeUpdate);
        var fresh = new List<RingId>();
        foreach (var c in candidates)
            if (c != Self && !_departed.Contains(c) && !fresh.Contains(c)) fresh.Add(c); // first occurrences, in order (short lists)
        var ready = new List<RingId>();
        foreach (var id in _neighbors.WouldAdmit(fresh))
        {
            // With the defence off the peer still attaches (to reach honest peers), but trusts the Update at once.
            if (!checkFirst || _transport.IsConnected(id)) ready.Add(id);
            if (!_transport.IsConnected(id)) StartAttach(id, learnedFrom);
        }
        foreach (var id in fresh)
            if (!checkFirst || _transport.IsConnected(id)) _fingers.Offer(id);
        if (ready.Count > 0) Admit(ready);
    }

    private void StartAttach(RingId id, RingId? learnedFrom)
    {
        if (_pendingAttaches.Contains(id) || _pendingAttaches.Count >= _options.MaxPendingAttaches) return;
        _pendingAttaches.Add(id);
        Destination[] route = learnedFrom is { } via && via != id && _transport.IsConnected(via)
            ? [new NodeDestination(via.ToOpaque()), new NodeDestination(id.ToOpaque())]
            : [new NodeDestination(id.ToOpaque())];
        AttachTo(route, sendUpdate: false, attached =>
        {
            _pendingAttaches.Remove(id);
            if (attached == id && State != PeerState.Stopped) Admit([id]);
            MaybeSendJoin();
        });
    }

    /// <summary>Puts peers (already attached, or unchecked with the defence off) into the tables.</summary>
    private void Admit(List<RingId> ids)
    {
        var list = new List<RingId>(ids.Count);
        foreach (var id in ids)
            if (id != Self && !_departed.Contains(id)) list.Add(id);
        bool changed = _neighbors.Add(list);
        foreach (var id in list) _fingers.Offer(id);
        if (!changed) return;
        bool rangeChanged = ResponsibilityMaybeChanged();
        SendNeighborUpdates(rangeChanged);
    }

    /// <summary>
    /// Tells storage when the responsible range moved, and hands this peer's data to peers that
    /// newly entered its replica set, the first two successors (§10.4, §10.7.3). Returns whether
    /// the responsible range changed.
    /// </summary>
    private bool ResponsibilityMaybeChanged()
    {
        if (State != PeerState.Joined) return false;
        var range = _neighbors.Responsible;
        bool changed = _lastRange != range;
        _lastRange = range;
        if (changed) _storage?.ResponsibilityChanged(range, _neighbors.ReplicaRange);
        if (_storage is null) return changed; // no data to hand over: the replica set matters to nobody
        var replicas = _neighbors.Successors.Take(2).ToList();
        if (_storage is not null)
            foreach (var fresh in replicas.Except(_lastReplicas))
                foreach (var store in _storage.HandoverRequests(range))
                    _transport.SendRequest([new NodeDestination(fresh.ToOpaque())], store, _ => { });
        _lastReplicas = replicas;
        return changed;
    }

    /// <summary>
    /// Reactive recovery (§10.7.1, §10.7.3): Updates to every neighbour after a change, to every
    /// connection when the responsible range changed; coalesced into one round per turn.
    /// </summary>
    private void SendNeighborUpdates(bool toAllConnections)
    {
        if (State != PeerState.Joined) return;
        _updatesToAll |= toAllConnections;
        if (_updatesScheduled) return;
        _updatesScheduled = true;
        _options.Scheduler.Schedule(TimeSpan.Zero, () =>
        {
            lock (_gate)
            {
                _updatesScheduled = false;
                if (State != PeerState.Joined) return;
                var targets = _neighbors.All.ToHashSet();
                if (_updatesToAll) targets.UnionWith(_transport.Connected);
                _updatesToAll = false;
                var update = NeighborsUpdateNow();
                foreach (var target in targets) SendUpdate(target, update);
            }
        });
    }

    private void SendUpdate(RingId to, ChordUpdate update)
    {
        update = _options.Behaviour.UpdateToSend(_peer, to, update);
        var linkAtSend = _transport.CurrentLink(to);
        _transport.SendRequest([new NodeDestination(to.ToOpaque())], new UpdateReq(update), outcome =>
        {
            // §10.7.1: a failed request to a neighbour counts as its failure — the failure of the attachment
            // it went out on. A node that linked again since (restarted, or another party with that Node-ID)
            // was never asked, and losing the old link already counted as the old one's failure.
            if (outcome.IsLocal && outcome.ErrorCode == ErrorCodes.RequestTimeout && ReferenceEquals(_transport.CurrentLink(to), linkAtSend)) PeerFailed(to);
        });
    }

    private NeighborsUpdate NeighborsUpdateNow() => new(Uptime, Ids(_neighbors.Predecessors), Ids(_neighbors.Successors));

    private FullUpdate FullUpdate() => new(Uptime, Ids(_neighbors.Predecessors), Ids(_neighbors.Successors), Ids(_fingers.Distinct));

    private static ValueList<Opaque> Ids(IEnumerable<RingId> ids) => new(ids.Select(i => i.ToOpaque()).ToArray());

    // ---------------------------------------------------------------- failures (§10.7.1, §10.7.2)

    private void OnLinkLost(RingId id)
    {
        _departed.Remove(id);
        PeerFailed(id);
    }

    private void PeerFailed(RingId id)
    {
        var replacements = _routing.RoutingTable.Where(r => r != id && _transport.IsConnected(r)).ToList();
        bool changed = _neighbors.Remove(id, replacements);
        if (_fingers.Remove(id))
            foreach (var c in _transport.Connected) if (c != id) _fingers.Offer(c);
        if (!changed) return;
        bool rangeChanged = ResponsibilityMaybeChanged();
        SendNeighborUpdates(rangeChanged);
    }

    // ---------------------------------------------------------------- stabilisation (§10.7.4)

    private void ScheduleUpdateTimer()
    {
        _timers.Add(_options.Scheduler.Schedule(Jitter(_options.Chord.UpdateInterval), () =>
        {
            lock (_gate)
            {
                if (State != PeerState.Joined) return;
                // §10.7.4.1: periodic Updates to every neighbour keep the lists current and detect failures.
                var update = NeighborsUpdateNow();
                foreach (var n in _neighbors.All.ToList()) SendUpdate(n, update);
                ScheduleUpdateTimer();
            }
        }));
        PruneTimers();
    }

    private void SchedulePingTimer()
    {
        _timers.Add(_options.Scheduler.Schedule(Jitter(_options.Chord.PingInterval), () =>
        {
            lock (_gate)
            {
                if (State != PeerState.Joined) return;
                StartFingerSearch(initial: false);
                SchedulePingTimer();
            }
        }));
        PruneTimers();
    }

    private void PruneTimers()
    {
        if (_timers.Count > 8) _timers.RemoveRange(0, _timers.Count - 8);
    }

    /// <summary>"SHOULD randomly offset these Update requests" (§10.7.4.1): ±10%.</summary>
    private TimeSpan Jitter(TimeSpan interval) => interval * (0.9 + 0.2 * _options.Random.NextDouble());

    /// <summary>Looks for better fingers now (the periodic search of §10.7.4.2, run on demand).</summary>
    public void RefreshFingers()
    {
        lock (_gate) if (State == PeerState.Joined) StartFingerSearch(initial: false);
    }

    /// <summary>
    /// §10.5: the i'th finger is found by an Attach to n + 2^(128-i); §10.7.4.2: later searches
    /// replace invalid entries. Entries whose start lies among our known successors need no search.
    /// </summary>
    private void StartFingerSearch(bool initial)
    {
        var successors = _neighbors.Successors;
        for (int i = 1; i <= _fingers.Size; i++)
        {
            if (!initial && _fingers.IsValid(i) && _fingers[i] is { } current && _transport.IsConnected(current)) continue;
            var start = _fingers.Start(i);
            if (successors.Count > 0 && RingId.InHalfOpen(start, Self, successors[^1]))
            {
                foreach (var s in successors)
                    if (RingId.InHalfOpen(start, Self, s)) { _fingers.Offer(s); break; }
                continue;
            }
            AttachTo([new ResourceDestination(start.ToOpaque())], sendUpdate: false, id =>
            {
                if (id is { } finger && State == PeerState.Joined) _fingers.Offer(finger);
            });
        }
    }

    // ---------------------------------------------------------------- RouteQuery (§10.8), Probe (§6.4.2.5)

    internal void HandleRouteQuery(IncomingRequest request, RouteQueryReq query)
    {
        // §10.8: the peer this one would route the message to next (itself when it is responsible).
        RingId? next = query.Destination switch
        {
            NodeDestination n when n.NodeId == NodeId => Self,
            NodeDestination n => _transport.IsConnected(RingId.From(n.NodeId)) ? RingId.From(n.NodeId) : NextHop(RingId.From(n.NodeId)),
            ResourceDestination r when _routing.IsResponsible(RingId.From(r.ResourceId)) => Self,
            ResourceDestination r => NextHop(RingId.From(r.ResourceId)),
            _ => null,
        };
        MessageBody honest = next is null
            ? ErrorResponse.Of(ErrorCodes.NotFound, "no route to that destination")
            : new RouteQueryAns(new Messages.Chord.ChordRouteQueryAns(next.Value.ToOpaque()));
        request.Reply(_options.Behaviour.AnswerRouteQuery(_peer, request, honest));
        if (next is null) return;
        if (query.SendUpdate && !request.Origin.IsEmpty) SendUpdate(RingId.From(request.Origin), FullUpdate());
    }

    internal void HandleProbe(IncomingRequest request, ProbeReq probe)
    {
        var info = new List<ProbeInformation>();
        foreach (var type in probe.RequestedInfo.Distinct())
        {
            switch (type)
            {
                case ProbeInformationType.ResponsibleSet:
                    // §6.4.2.5.2: the fraction of the ring this peer is responsible for, in parts per billion.
                    var range = _neighbors.Responsible;
                    var share = range.From == range.To ? 1.0 : (double)range.From.DistanceTo(range.To) / Math.Pow(2, 128);
                    info.Add(new ResponsibleSetInformation((uint)Math.Round(share * 1e9)));
                    break;
                case ProbeInformationType.NumResources:
                    info.Add(new NumResourcesInformation((uint)(_storage?.ResourceCount ?? 0)));
                    break;
                case ProbeInformationType.Uptime:
                    info.Add(new UptimeInformation(Uptime));
                    break;
            }
        }
        request.Reply(_options.Behaviour.AnswerProbe(_peer, request, new ProbeAns(new ValueList<ProbeInformation>(info.ToArray()))));
    }

    private uint Uptime => (uint)Math.Max(0, (_options.Scheduler.Now - _startedAt).TotalSeconds);

    internal IceCandidate HostCandidate() =>
        IceCandidate.Host(_linkLayer.LocalAddress, _linkLayer.LinkProtocol, Opaque.Utf8("1"), 1);

    internal byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _options.Random.NextBytes(bytes);
        return bytes;
    }
}
