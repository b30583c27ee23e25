using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Peer.Chord;

namespace P2psip.Peer;

/// <summary>Attach without ICE (§6.5.1, NO-ICE overlay links): exchange host candidates, then the requester opens the link.</summary>
public sealed partial class ReferencePeer
{
    private readonly HashSet<RingId> _updateWhenLinked = [];

    /// <summary>
    /// Attaches to whoever answers for <paramref name="destinations"/>; <paramref name="done"/> gets the
    /// responder's Node-ID once a link authenticated as that Node-ID is up, or null.
    /// </summary>
    /// <param name="failed">Told why, when <paramref name="done"/> gets null: the error response, or the link's failure.</param>
    private void AttachTo(Messages.Destination[] destinations, bool sendUpdate, Action<RingId?> done, Action<string>? failed = null)
    {
        var body = new AttachReq(RandomBytes(8), RandomBytes(16), Text("active"), [HostCandidate()], sendUpdate);
        _transport.SendRequest(new Wire.ValueList<Messages.Destination>(destinations), body, outcome =>
        {
            if (outcome.Body is not AttachAns answer || State == PeerState.Stopped) { failed?.Invoke($"{outcome}"); done(null); return; }
            var responder = RingId.From(outcome.Responder);
            if (responder == Self) { failed?.Invoke("this peer answered its own Attach (is the bootstrap this peer, or its Node-ID in use?)"); done(null); return; }
            if (_transport.IsConnected(responder)) { done(responder); return; }
            var candidate = answer.Candidates.FirstOrDefault(c => c.OverlayLink == OverlayLinkType.TlsTcpFhNoIce) ?? answer.Candidates.FirstOrDefault();
            if (candidate is null) { failed?.Invoke("the AttachAns has no candidate"); done(null); return; }
            _transport.Connect(candidate.AddrPort, outcome.Responder, (id, why) =>
            {
                if (id is null) failed?.Invoke($"the link to {candidate.AddrPort} failed: {why}");
                done(id);
            });
        });
    }

    private void HandleAttach(Transport.IncomingRequest request, AttachReq attach)
    {
        request.Reply(new AttachAns(RandomBytes(8), RandomBytes(16), Text("passive"), [HostCandidate()], false));
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
}
