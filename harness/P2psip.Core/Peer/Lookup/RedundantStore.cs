using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Chord;
using P2psip.Peer.Transport;
using P2psip.Wire;

namespace P2psip.Peer.Lookup;

/// <summary>
/// A Store routed as a redundant lookup is (the redundant-lookups defence): a <see cref="ReplicaWalk"/>
/// finds the responsible peer, and the Store goes to it over its own route — the direct link, or one
/// forwarder whose table names it — the next route when one stays silent. The responsible peer
/// replicates it on its two successors itself (§10.4). Runs under the peer's lock.
/// </summary>
internal sealed class RedundantStore(ReferencePeer peer, StoreReq store, int paths, Action<RequestOutcome> done)
{
    private const int Routes = 3;
    private readonly HashSet<RingId> _none = [];
    private ReplicaWalk? _walk;
    private int _tries;

    public void Start()
    {
        _walk = new ReplicaWalk(peer, RingId.From(store.Resource), failuresAllowed: 2 * Math.Max(1, paths), Walked);
        _walk.Start();
    }

    private void Walked(ReplicaWalk walk)
    {
        if (walk.Replicas.Count == 0) { Finish(RequestOutcome.Local(ErrorCodes.NotFound, walk.Failure ?? "no responsible peer found")); return; }
        Send(walk.Replicas[0]);
    }

    private void Send(RingId responsible)
    {
        var route = _tries < Routes ? _walk!.RoutesTo(responsible, _none).FirstOrDefault() : null;
        if (route is null) { Finish(RequestOutcome.Local(ErrorCodes.RequestTimeout, $"no route left to {responsible}")); return; }
        _tries++;
        RingId? forwarder = route.Length > 1 ? RingId.From(((NodeDestination)route[0]).NodeId) : null;
        peer.Transport.SendRequest(new ValueList<Destination>(route), store, outcome =>
        {
            if (outcome.IsLocal && forwarder is { } silent) { _walk!.Distrust(silent); Send(responsible); return; }
            Finish(outcome);
        }, maxTransmissions: ReplicaWalk.AnswerTransmissions);
    }

    private void Finish(RequestOutcome outcome)
    {
        _walk?.Release();
        done(outcome);
    }
}
