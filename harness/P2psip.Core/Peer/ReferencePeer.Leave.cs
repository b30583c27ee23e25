using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Peer.Chord;
using P2psip.Peer.Transport;
using P2psip.Wire;

namespace P2psip.Peer;

/// <summary>Leaving the ring (§10.9) and being told that a neighbour leaves.</summary>
public sealed partial class ReferencePeer
{
    /// <summary>
    /// Hands this peer's data to its successor, sends Leave to every neighbour (from_pred to
    /// successors, from_succ to predecessors), waits for their answers (or their timeouts), then
    /// closes every link. <paramref name="done"/> runs once it is over.
    /// </summary>
    public void Leave(Action done)
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

    public Task LeaveAsync()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Leave(tcs.SetResult);
        return tcs.Task;
    }

    private void HandleLeave(IncomingRequest request, LeaveReq leave)
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
        Consider(leave.OverlaySpecificData.NodeIds.Select(RingId.From), learnedFrom: null);
    }
}
