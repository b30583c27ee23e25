using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Peer.Chord;
using P2psip.Peer.Transport;
using P2psip.Wire;

namespace P2psip.Peer;

/// <summary>
/// Updates (§10.7): receiving them under the attach-before-update rule (§10.7.3), sending them when
/// the Neighbor Table changes, handling neighbour and finger failures (§10.7.1–2), replica
/// handover (§10.7.3) and the stabilisation timers (§10.7.4).
/// </summary>
public sealed partial class ReferencePeer
{
    private readonly HashSet<RingId> _pendingAttaches = [];
    private readonly HashSet<RingId> _departed = [];
    private bool _updatesScheduled, _updatesToAll;
    private ResourceRange? _lastRange;
    private List<RingId> _lastReplicas = [];

    /// <summary>Attaches to Update candidates still running (bounded by <see cref="PeerOptions.MaxPendingAttaches"/>).</summary>
    public int PendingAttachCount { get { lock (_gate) return _pendingAttaches.Count; } }

    private void HandleUpdate(IncomingRequest request, ChordUpdate update)
    {
        request.Reply(_options.Behaviour.AnswerUpdate(this, request, new UpdateAns(Opaque.Empty)));
        if (request.Origin.IsEmpty) return;
        var sender = RingId.From(request.Origin);
        var candidates = new List<RingId> { sender };
        switch (update)
        {
            case NeighborsUpdate n:
                candidates.AddRange(n.Predecessors.Select(RingId.From));
                candidates.AddRange(n.Successors.Select(RingId.From));
                break;
            case FullUpdate f:
                candidates.AddRange(f.Predecessors.Select(RingId.From));
                candidates.AddRange(f.Successors.Select(RingId.From));
                candidates.AddRange(f.Fingers.Select(RingId.From));
                break;
        }
        // The admitting peer's Update may overtake its AttachAns on another path: any Update moves the join on.
        if (State == PeerState.Joining) _updatesFromAdmitting++;
        Consider(candidates, learnedFrom: sender);
        MaybeSendJoin();
    }

    /// <summary>
    /// §10.7.3: Node-IDs that would improve the Neighbor Table are attached to first (source-routed
    /// through the peer that named them, §10.6) and enter the table only once the Attach succeeded.
    /// With the attach-before-update defence off they enter at once, before any Attach (the UN-4 vulnerable variant).
    /// </summary>
    private void Consider(IEnumerable<RingId> candidates, RingId? learnedFrom)
    {
        bool checkFirst = _options.Defences.IsOn(DefenceSwitches.AttachBeforeUpdate);
        var fresh = candidates.Where(c => c != Self && !_departed.Contains(c)).Distinct().ToList();
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
    private void Admit(IEnumerable<RingId> ids)
    {
        var list = ids.Where(id => id != Self && !_departed.Contains(id)).ToList();
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
        update = _options.Behaviour.UpdateToSend(this, to, update);
        _transport.SendRequest([new NodeDestination(to.ToOpaque())], new UpdateReq(update), outcome =>
        {
            // §10.7.1: a failed request to a neighbour counts as its failure.
            if (outcome.IsLocal && outcome.ErrorCode == ErrorCodes.RequestTimeout) PeerFailed(to);
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
}
