using P2psip.Messages;
using P2psip.Messages.Topology;
using P2psip.Peer.Chord;
using P2psip.Peer.Transport;

namespace P2psip.Peer;

/// <summary>Joining the ring (§10.5), as the Joining Node and as the Admitting Peer.</summary>
public sealed partial class ReferencePeer
{
    private RingId? _admittingPeer, _bootstrapPeer;
    private Action<string?>? _joinDone;
    private bool _joinRequested;

    /// <summary>Joins through a bootstrap peer; <paramref name="done"/> gets null on success or the reason it failed.</summary>
    public void Join(Messages.IpAddressPort bootstrap, Action<string?> done)
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

    public Task JoinAsync(Messages.IpAddressPort bootstrap)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Join(bootstrap, why => { if (why is null) tcs.SetResult(); else tcs.SetException(new InvalidOperationException(why)); });
        return tcs.Task;
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

    private int _updatesFromAdmitting;

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
    private void HandleJoin(IncomingRequest request, JoinReq join)
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
}
