using P2psip.Messages;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Transport;

/// <summary>
/// Delivery to this peer (§6.2.2, §6.3.4): a request passes the destination's admission steps
/// (signature, replay, critical options and extensions, configuration sequence) and goes to the
/// peer's request handler, whose answer travels back along the reversed Via List; an answer passes
/// the signature and response-origin steps and completes its transaction.
/// </summary>
internal sealed class Delivery(PeerOptions options, uint overlayHash, AdmissionChecks checks, TransactionTable transactions, Router router,
    TransportObserver observe, Action<IncomingRequest> onRequest, object gate)
{
    /// <summary>Sends a request of this peer's own (set by the transport; used for ConfigUpdates).</summary>
    public Action<ValueList<Destination>, MessageBody, ushort?> SendRequest { get; set; } = (_, _, _) => { };

    public void Deliver(ReloadMessage message, IPeerLink? from)
    {
        var via = Router.WithPreviousHop(message.Header.ViaList, from?.RemoteNodeId ?? Opaque.Empty);
        if (MessageCodes.IsRequest(message.MessageCode)) DeliverRequest(message, from, via);
        else DeliverResponse(message, from, via);
    }

    private void DeliverRequest(ReloadMessage message, IPeerLink? from, List<Opaque> via)
    {
        if (checks.Signature(message, from, via, out var signature) is { } bad)
        {
            observe(bad.Step, message, from, bad.Reason);
            return;
        }
        if (checks.Replay(message.Header.TransactionId, signature, out var repeat) is { } replay)
        {
            observe(replay.Step, message, from, replay.Reason);
            if (repeat is not null) SendResponse(repeat with { Header = ResponseHeader(message.Header, via) });
            return;
        }
        if ((checks.DestinationCritical(message.Header) ?? checks.CriticalExtension(message.Contents) ?? checks.ConfigSequence(message)) is { } refusal)
        {
            ErrorBack(message, via, refusal, from);
            // §6.3.2.1, §6.5.4: "if the configuration file in the request is too old, the node MUST
            // generate a ConfigUpdate message to update the requesting node".
            if (refusal.ErrorCode == ErrorCodes.ConfigTooOld && via.Count > 0) SendConfigUpdate(via[0]);
            return;
        }
        onRequest(new IncomingRequest(message, via, from?.RemoteNodeId ?? Opaque.Empty, signature, Answer));
    }

    private void Answer(IncomingRequest request, MessageBody body)
    {
        var header = ResponseHeader(request.Message.Header, request.Via);
        var response = Sign(new ReloadMessage(header, body));
        uint limit = request.Message.Header.MaxResponseLength;
        if (limit != 0 && body is not ErrorResponse && ReloadCodec.Encode(response).Length > limit)
        {
            // §6.3.2 max_response_length, §6.3.3.1: Error_Response_Too_Large instead of an answer that is too long.
            observe(AdmissionStep.ResponseTooLarge, request.Message, null, $"the answer would exceed max_response_length {limit}");
            response = Sign(new ReloadMessage(header, ErrorResponse.Of(ErrorCodes.ResponseTooLarge, $"the answer would exceed max_response_length {limit}")));
        }
        checks.Answered(header.TransactionId, response);
        SendResponse(response);
    }

    /// <summary>§6.2.2: the response's Destination List is the request's Via List (with the previous hop) reversed.</summary>
    private ForwardingHeader ResponseHeader(ForwardingHeader request, IReadOnlyList<Opaque> via) => new()
    {
        Overlay = overlayHash,
        ConfigurationSequence = options.ConfigurationSequence,
        Ttl = (byte)Math.Clamp(options.Configuration.InitialTtl, 0, 255),
        TransactionId = request.TransactionId,
        DestinationList = new ValueList<Destination>(Reversed(via)),
    };

    private static Destination[] Reversed(IReadOnlyList<Opaque> via)
    {
        var list = new Destination[via.Count];
        for (int i = 0; i < list.Length; i++) list[i] = new NodeDestination(via[via.Count - 1 - i]);
        return list;
    }

    private void SendResponse(ReloadMessage response)
    {
        if (response.Header.DestinationList.Count == 0)
        {
            // The request was our own, answered by ourselves: deliver on the next turn (no re-entrancy).
            options.Scheduler.Schedule(TimeSpan.Zero, () => { lock (gate) DeliverResponse(response, null, []); });
            return;
        }
        router.Route(response, null);
    }

    /// <summary>Records a refusal and answers a request with its error along the reversed path (no answer to answers).</summary>
    public void ErrorBack(ReloadMessage message, List<Opaque> via, Refusal refusal, IPeerLink? from = null)
    {
        observe(refusal.Step, message, from, refusal.Reason);
        if (refusal.ErrorCode is not { } code || !MessageCodes.IsRequest(message.MessageCode) || via.Count == 0) return;
        SendResponse(Sign(new ReloadMessage(ResponseHeader(message.Header, via), ErrorResponse.Of(code, refusal.Reason))));
    }

    private void DeliverResponse(ReloadMessage message, IPeerLink? from, List<Opaque> via)
    {
        if (!transactions.TryGet(message.Header.TransactionId, out var pending))
        {
            observe(AdmissionStep.NoTransaction, message, from, "no request with this transaction id is outstanding");
            return;
        }
        if (checks.Signature(message, from, null, out var signature) is { } bad)
        {
            observe(bad.Step, message, from, bad.Reason);
            return;
        }
        Opaque responder = signature?.SignerNodeId ?? (via.Count > 0 ? via[0] : options.NodeId);
        if (checks.ResponseOrigin(pending.Target, message, responder, from) is { } wrong)
        {
            // UN-1c: keep waiting for the true answer; retransmission gives it another chance.
            observe(wrong.Step, message, from, wrong.Reason);
            return;
        }
        transactions.Complete(pending, new RequestOutcome(message.Body, message, responder, via.Count));
    }

    // ---------------------------------------------------------------- configuration updates (§6.5.4)

    private readonly Dictionary<Opaque, DateTimeOffset> _configUpdatesSent = [];
    private Opaque? _configDocument;

    /// <summary>
    /// Sends this peer's configuration document to <paramref name="node"/> in a ConfigUpdate of type
    /// config, with configuration_sequence 65535 so that a node on another sequence accepts it
    /// (§6.3.2.1). At most one per node per overlay-reliability-timer: a flood of stale requests must
    /// not turn this peer into an amplifier.
    /// </summary>
    private void SendConfigUpdate(Opaque node)
    {
        var now = options.Scheduler.Now;
        if (_configUpdatesSent.TryGetValue(node, out var last) && now - last < options.ReliabilityTimer) return;
        if (_configUpdatesSent.Count >= options.MaxTransactions) _configUpdatesSent.Clear();
        _configUpdatesSent[node] = now;
        _configDocument ??= System.Text.Encoding.UTF8.GetBytes(Overlay.OverlayDocument.Of(options.Configuration).ToXml());
        SendRequest([new NodeDestination(node)], new Messages.Link.ConfigDataUpdateReq(_configDocument.Value), 0xFFFF);
    }

    public ReloadMessage Sign(ReloadMessage message) =>
        options.Identity is { } identity ? MessageSigner.Sign(message, identity, asNodeId: options.NodeId) : message;
}
