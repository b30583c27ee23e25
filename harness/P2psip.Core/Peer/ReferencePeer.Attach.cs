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
    private void AttachTo(Messages.Destination[] destinations, bool sendUpdate, Action<RingId?> done)
    {
        // §6.5.1.1: the offerer's role MUST be "passive", the answerer's "active".
        var body = new AttachReq(RandomBytes(8), RandomBytes(16), Text(OffererRole), [HostCandidate()], sendUpdate);
        _transport.SendRequest(new Wire.ValueList<Messages.Destination>(destinations), body, outcome =>
        {
            if (outcome.Body is not AttachAns answer || State == PeerState.Stopped) { done(null); return; }
            var responder = RingId.From(outcome.Responder);
            if (responder == Self) { done(null); return; }
            if (_transport.IsConnected(responder)) { done(responder); return; }
            var candidate = answer.Candidates.FirstOrDefault(c => c.OverlayLink == _linkLayer.LinkProtocol) ?? answer.Candidates.FirstOrDefault();
            if (candidate is null) { done(null); return; }
            _transport.Connect(candidate.AddrPort, outcome.Responder, (id, _) => done(id));
        });
    }

    private void HandleAttach(Transport.IncomingRequest request, AttachReq attach)
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
    private const string OffererRole = "passive", AnswererRole = "active";
    private static readonly byte[] OffererRoleBytes = System.Text.Encoding.UTF8.GetBytes(OffererRole);
}
