using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Peer.Chord;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Transport;

/// <summary>
/// RELOAD message transport (§6.1–6.3) with symmetric recursive routing (§6.2): the receive path,
/// forwarding with Via and Destination Lists, TTL, delivery to this peer, the transactions this
/// peer originates (retransmission on the overlay reliability timer, Error_Request_Timeout),
/// signing every message and verifying at the destination, and the checks the defence switches
/// name. Not thread-safe by itself: every entry point runs under the owner's <c>gate</c>.
/// </summary>
public sealed class MessageTransport
{
    /// <summary>Errors an intermediate peer may legitimately send back, exempt from the response-origin check (§6.3.2, §6.3.2.3, §6.1).</summary>
    private static readonly HashSet<ushort> ForwarderErrors =
    [
        ErrorCodes.TtlExceeded, ErrorCodes.UnsupportedForwardingOption, ErrorCodes.InvalidMessage,
        ErrorCodes.IncompatibleWithOverlay, ErrorCodes.MessageTooLarge,
    ];

    private readonly PeerOptions _options;
    private readonly IPeerLinkLayer _linkLayer;
    private readonly IOverlayRouting _routing;
    private readonly Action<IncomingRequest> _onRequest;
    private readonly object _gate;
    private readonly Dictionary<RingId, IPeerLink> _links = [];
    private readonly Dictionary<ulong, PendingTransaction> _pending = [];
    private readonly RecentRequests _recent;
    private readonly Dictionary<string, long> _drops = new(StringComparer.Ordinal);
    private readonly Dictionary<RingId, LinkRateLimit> _rateLimits = [];
    private readonly HashSet<IPeerLink> _inbound = new(ReferenceEqualityComparer.Instance);
    private readonly Wire.DecodeOptions _decodeOptions;
    private readonly uint _overlayHash;

    public MessageTransport(PeerOptions options, IPeerLinkLayer linkLayer, IOverlayRouting routing, Action<IncomingRequest> onRequest, object gate)
    {
        _options = options;
        _linkLayer = linkLayer;
        _routing = routing;
        _onRequest = onRequest;
        _gate = gate;
        _recent = new RecentRequests(options.RecentRequestCapacity, TimeSpan.FromSeconds(15));
        // §11.1: the configured Kinds' data models, so values of private Kinds decode as the engine expects.
        _decodeOptions = new Wire.DecodeOptions { NodeIdLength = options.Configuration.NodeIdLength, Kinds = Storage.StorageKind.RegistryOf(options.Configuration) };
        _overlayHash = OverlayHash(options.Configuration.InstanceName);
        Self = RingId.From(options.NodeId);
        if (options.Identity is null && options.Defences.IsOn(DefenceSwitches.MessageSignatures))
            throw new ArgumentException("a peer without an identity cannot sign: switch the message-signatures defence off for unsigned operation");
    }

    public RingId Self { get; }
    public Opaque NodeId => _options.NodeId;

    /// <summary>Called (under the gate) when a link to a Node-ID comes up or is lost.</summary>
    public event Action<RingId>? LinkUp, LinkLost;

    public long MessagesReceived { get; private set; }
    public long MessagesSent { get; private set; }
    public long MessagesForwarded { get; private set; }

    /// <summary>Join, Leave and Update requests dropped by the per-link rate limit (§10.7.2).</summary>
    public long RateLimited { get; private set; }

    /// <summary>Messages dropped, by reason (a small fixed set of reasons).</summary>
    public IReadOnlyDictionary<string, long> Drops => _drops;

    public int PendingTransactions => _pending.Count;
    public int RecentRequestCount => _recent.Count;
    public int LinkCount => _links.Count;
    public IEnumerable<RingId> Connected => _links.Keys;

    public bool IsConnected(RingId id) => _links.TryGetValue(id, out var l) && l.IsOpen;

    /// <summary>§6.3.2: overlay is the lower 32 bits of the SHA-1 hash of the overlay name.</summary>
    public static uint OverlayHash(string instanceName)
    {
        var digest = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(instanceName));
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(digest.AsSpan(digest.Length - 4));
    }

    // ---------------------------------------------------------------- links

    /// <summary>
    /// Takes an authenticated link into the Connection Table and starts reading from it. One link per
    /// Node-ID (UN-5): a second link to a Node-ID already linked replaces the first when both were
    /// opened from the same side (the remote end reconnected), and otherwise the one opened by the
    /// lower Node-ID stays, so that two peers attaching to each other at once keep the same link.
    /// A link that does not stay is closed, never left running outside the table.
    /// </summary>
    public void Adopt(IPeerLink link, bool inbound = true)
    {
        var id = RingId.From(link.RemoteNodeId);
        if (_links.TryGetValue(id, out var existing) && existing.IsOpen)
        {
            bool existingInbound = _inbound.Contains(existing);
            // Both opened by the same side: the newer replaces the older. Otherwise the initiator with the lower Node-ID wins.
            bool keepNew = existingInbound == inbound || (inbound ? id.Value < Self.Value : Self.Value < id.Value);
            if (!keepNew)
            {
                Drop("repeated link");
                link.Close();
                return;
            }
            _links[id] = link;
            _inbound.Remove(existing);
            if (inbound) _inbound.Add(link);
            existing.Close();
            Drop("replaced link");
            link.Start(OnReceived, OnClosed);
            return;
        }
        if (_links.Count >= _options.MaxLinks && !_links.ContainsKey(id))
        {
            Drop("link table full");
            link.Close();
            return;
        }
        _links[id] = link;
        if (inbound) _inbound.Add(link);
        link.Start(OnReceived, OnClosed);
        LinkUp?.Invoke(id);
    }

    /// <summary>Opens a link to an address (the Attach candidate, NO-ICE) expecting a given Node-ID.</summary>
    public void Connect(IpAddressPort address, Opaque? expected, Action<RingId?, string?> done)
    {
        _linkLayer.Connect(address, expected, (link, why) =>
        {
            lock (_gate)
            {
                if (link is null) { done(null, why); return; }
                if (expected is { } e && link.RemoteNodeId != e)
                {
                    link.Close();
                    done(null, $"the link authenticated as {link.RemoteNodeId.ToHex()}, not {e.ToHex()}");
                    return;
                }
                Adopt(link, inbound: false);
                // Connected either way: through this link, or through the one the tie-break kept.
                var id = RingId.From(link.RemoteNodeId);
                if (IsConnected(id)) done(id, null);
                else done(null, "the link was closed as it was adopted");
            }
        });
    }

    public void CloseLink(RingId id)
    {
        if (_links.Remove(id, out var link))
        {
            _inbound.Remove(link);
            _rateLimits.Remove(id);
            link.Close();
            LinkLost?.Invoke(id);
        }
    }

    public void CloseAll()
    {
        foreach (var id in _links.Keys.ToList()) CloseLink(id);
        foreach (var p in _pending.Values) p.Timer?.Dispose();
        _pending.Clear();
    }

    private void OnClosed(IPeerLink link)
    {
        lock (_gate)
        {
            var id = RingId.From(link.RemoteNodeId);
            _inbound.Remove(link);
            if (_links.TryGetValue(id, out var current) && ReferenceEquals(current, link))
            {
                _links.Remove(id);
                _rateLimits.Remove(id);
                LinkLost?.Invoke(id);
            }
        }
    }

    // ---------------------------------------------------------------- originating requests

    /// <summary>
    /// Sends a request to the Destination List and reports how it ended: retransmitted with the
    /// same transaction id every overlay-reliability-timer, at most five transmissions, then
    /// Error_Request_Timeout (§6.2.1).
    /// </summary>
    public void SendRequest(ValueList<Destination> destinations, MessageBody body, Action<RequestOutcome> done, ushort? configurationSequence = null)
    {
        if (_pending.Count >= _options.MaxTransactions)
        {
            done(RequestOutcome.Local(ErrorCodes.InProgress, "too many outstanding requests"));
            return;
        }
        ulong transactionId;
        do transactionId = (ulong)_options.Random.NextInt64() ^ ((ulong)_options.Random.Next() << 63);
        while (transactionId == 0 || _pending.ContainsKey(transactionId));
        var header = new ForwardingHeader
        {
            Overlay = _overlayHash,
            ConfigurationSequence = configurationSequence ?? _options.ConfigurationSequence,
            Ttl = (byte)Math.Clamp(_options.Configuration.InitialTtl, 0, 255),
            TransactionId = transactionId,
            DestinationList = destinations,
        };
        var message = Sign(new ReloadMessage(header, body));
        var pending = new PendingTransaction(message, done);
        _pending[transactionId] = pending;
        Transmit(pending);
    }

    private void Transmit(PendingTransaction pending)
    {
        pending.Transmissions++;
        pending.Timer = _options.Scheduler.Schedule(_options.ReliabilityTimer, () =>
        {
            lock (_gate)
            {
                ulong id = pending.Request.Header.TransactionId;
                if (!_pending.TryGetValue(id, out var current) || !ReferenceEquals(current, pending)) return;
                if (pending.Transmissions < 5)
                {
                    Transmit(pending);
                    return;
                }
                _pending.Remove(id);
                pending.Done(RequestOutcome.Local(ErrorCodes.RequestTimeout, $"no answer after {pending.Transmissions} transmissions"));
            }
        });
        Route(pending.Request, null);
    }

    // ---------------------------------------------------------------- receive path (§6.1)

    private void OnReceived(IPeerLink link, ReadOnlyMemory<byte> bytes)
    {
        lock (_gate)
        {
            MessagesReceived++;
            try
            {
                Receive(link, bytes);
            }
            catch (Exception e) when (e is WireEncodeException or ArgumentException or InvalidOperationException or FormatException)
            {
                // Bytes we could decode but not re-encode (e.g. a field the encoder refuses): drop, never crash.
                Drop("could not process: " + e.GetType().Name);
            }
        }
    }

    /// <summary>Processes one message that arrived over <paramref name="link"/> (visible for the fuzzing harness and tests).</summary>
    public void Receive(IPeerLink link, ReadOnlyMemory<byte> bytes)
    {
        var decoded = ReloadCodec.Decode(bytes, _decodeOptions);
        if (!decoded.IsSuccess)
        {
            AnswerUndecodable(link, bytes, decoded.Error);
            return;
        }
        var message = decoded.Value;
        var header = message.Header;
        // §6.6: a message above max-message-size gets Error_Message_Too_Large and the link is closed.
        if (_options.Defences.IsOn(DefenceSwitches.Quotas) && bytes.Length > _options.Configuration.MaxMessageSize)
        {
            ErrorBack(message, WithPreviousHop(header.ViaList, link.RemoteNodeId), ErrorCodes.MessageTooLarge,
                $"{bytes.Length} bytes is more than max-message-size {_options.Configuration.MaxMessageSize}");
            var id = RingId.From(link.RemoteNodeId);
            if (_links.TryGetValue(id, out var current) && ReferenceEquals(current, link)) CloseLink(id);
            else link.Close();
            return;
        }
        // §6.3.2: messages for another overlay, and fragments (this peer does not reassemble, §6.7), are discarded.
        if (header.Overlay != _overlayHash) { Drop("other overlay"); return; }
        if (!header.IsLastFragment || header.FragmentOffset != 0) { Drop("fragment"); return; }
        // §10.7.2 (UN-5): Join, Leave and Update floods are limited per link; the excess is dropped unanswered.
        if (_options.Defences.IsOn(DefenceSwitches.RateLimits) && message.MessageCode is MessageCodes.JoinReq or MessageCodes.LeaveReq or MessageCodes.UpdateReq)
        {
            var now = _options.Scheduler.Now;
            // One bucket per Node-ID, not per link: a second link from the same Node-ID shares it (UN-5).
            var from = RingId.From(link.RemoteNodeId);
            if (!_rateLimits.TryGetValue(from, out var bucket))
            {
                if (_rateLimits.Count >= _options.MaxLinks) _rateLimits.Clear(); // only linked Node-IDs have one; bounded anyway
                _rateLimits[from] = bucket = new LinkRateLimit(now);
            }
            if (!bucket.TryTake(now))
            {
                RateLimited++;
                Drop("rate limited");
                return;
            }
        }
        var via = WithPreviousHop(header.ViaList, link.RemoteNodeId);
        // §6.3.2 ttl: a TTL above initial-ttl is discarded with Error_TTL_Exceeded.
        if (_options.Defences.IsOn(DefenceSwitches.Ttl) && header.Ttl > _options.Configuration.InitialTtl)
        {
            ErrorBack(message, via, ErrorCodes.TtlExceeded, $"ttl {header.Ttl} is above initial-ttl {_options.Configuration.InitialTtl}");
            return;
        }
        Route(message, link);
    }

    /// <summary>
    /// Undecodable bytes: a request whose forwarding header and Via List could still be read is
    /// answered with Error_Invalid_Message (§6.3.3.1); anything else is dropped silently (§6.1).
    /// </summary>
    private void AnswerUndecodable(IPeerLink link, ReadOnlyMemory<byte> bytes, DecodeError error)
    {
        var r = new WireReader(bytes, _decodeOptions);
        if (ForwardingHeader.TryRead(ref r, bytes.Length, out var header)
            && header.Overlay == _overlayHash
            && r.U16("message_code", MessageContents.Rfc, out var code)
            && MessageCodes.IsRequest(code))
        {
            var request = new ReloadMessage(header, new MessageContents(new OpaqueBody(code, Opaque.Empty)), SecurityBlock.Unsigned);
            ErrorBack(request, WithPreviousHop(header.ViaList, link.RemoteNodeId), ErrorCodes.InvalidMessage, error.ToString());
            return;
        }
        Drop("undecodable");
    }

    private static List<Opaque> WithPreviousHop(ValueList<Destination> via, Opaque previousHop)
    {
        var list = new List<Opaque>(via.Count + 1);
        foreach (var d in via)
            list.Add(d is NodeDestination n ? n.NodeId : Opaque.Empty);
        if (!previousHop.IsEmpty) list.Add(previousHop);
        return list;
    }

    /// <summary>
    /// §6.1: looks at the first entry of the Destination List and delivers here, strips our own
    /// Node-ID and goes on, or forwards. <paramref name="from"/> is null for messages this peer originates.
    /// </summary>
    private void Route(ReloadMessage message, IPeerLink? from)
    {
        var destinations = message.Header.DestinationList;
        int skip = 0;
        while (true)
        {
            if (skip >= destinations.Count)
            {
                Drop("empty destination list");
                return;
            }
            var first = destinations[skip];
            switch (first)
            {
                case NodeDestination node:
                {
                    var id = RingId.From(node.NodeId);
                    if (node.NodeId == _options.NodeId)
                    {
                        skip++;
                        if (skip == destinations.Count) { Deliver(Strip(message, skip - 1), from); return; }
                        continue;
                    }
                    if (node.NodeId.Span.IndexOfAnyExcept((byte)0xFF) < 0) { Deliver(Strip(message, skip), from); return; } // wildcard (§6.1.1)
                    if (IsConnected(id)) { Forward(Strip(message, skip), from, id); return; }
                    if (_routing.IsResponsible(id))
                    {
                        // §6.1.1: a Node-ID we are responsible for that is not us and not connected: drop silently.
                        Drop("no such node");
                        return;
                    }
                    var next = _routing.NextHop(id);
                    if (next is null) { Drop("no route"); return; }
                    Forward(Strip(message, skip), from, next.Value);
                    return;
                }
                case ResourceDestination resource:
                {
                    var id = RingId.From(resource.ResourceId);
                    if (_routing.IsResponsible(id))
                    {
                        // §6.1.1: a Resource-ID must be the only (remaining) entry.
                        if (skip != destinations.Count - 1) { Drop("resource not last"); return; }
                        Deliver(Strip(message, skip), from);
                        return;
                    }
                    var next = _routing.NextHop(id);
                    if (next is null) { Drop("no route"); return; }
                    Forward(Strip(message, skip), from, next.Value);
                    return;
                }
                default:
                    // This peer never compresses lists, so an opaque id is not one of ours (§6.1.3).
                    Drop("opaque destination");
                    return;
            }
        }
    }

    private static ReloadMessage Strip(ReloadMessage message, int count) =>
        count == 0 ? message : message with
        {
            Header = message.Header with { DestinationList = new ValueList<Destination>(message.Header.DestinationList.Skip(count).ToArray()) },
        };

    /// <summary>
    /// Sends towards <paramref name="next"/>: a forwarder appends the previous hop to the Via List
    /// and decrements the TTL (§6.1.2, §6.3.2); the originator sends as built.
    /// </summary>
    private void Forward(ReloadMessage message, IPeerLink? from, RingId next)
    {
        if (!_links.TryGetValue(next, out var link) || !link.IsOpen) { Drop("next hop not connected"); return; }
        if (from is not null)
        {
            var via = WithPreviousHop(message.Header.ViaList, from.RemoteNodeId);
            if (message.Header.Ttl == 0)
            {
                // §6.3.2: a TTL of 0 on a message not for us is not propagated; Error_TTL_Exceeded.
                if (_options.Defences.IsOn(DefenceSwitches.Ttl))
                {
                    ErrorBack(message, via, ErrorCodes.TtlExceeded, "ttl reached 0");
                    return;
                }
            }
            // §6.3.2.3: an unknown option marked FORWARD_CRITICAL must be understood by every forwarder.
            if (_options.Defences.IsOn(DefenceSwitches.CriticalOptions) && message.Header.Options.Any(o => o.IsForwardCritical))
            {
                ErrorBack(message, via, ErrorCodes.UnsupportedForwardingOption, "a FORWARD_CRITICAL option this peer does not support");
                return;
            }
            message = message with
            {
                Header = message.Header with
                {
                    Ttl = message.Header.Ttl == 0 ? (byte)0 : (byte)(message.Header.Ttl - 1),
                    ViaList = [.. message.Header.ViaList, new NodeDestination(from.RemoteNodeId)],
                },
            };
            MessagesForwarded++;
        }
        MessagesSent++;
        link.Send(ReloadCodec.Encode(message));
    }

    // ---------------------------------------------------------------- delivery to this peer

    private void Deliver(ReloadMessage message, IPeerLink? from)
    {
        var via = WithPreviousHop(message.Header.ViaList, from?.RemoteNodeId ?? Opaque.Empty);
        if (MessageCodes.IsRequest(message.MessageCode)) DeliverRequest(message, from, via);
        else DeliverResponse(message, from, via);
    }

    private void DeliverRequest(ReloadMessage message, IPeerLink? from, List<Opaque> via)
    {
        var defences = _options.Defences;
        var header = message.Header;
        var now = _options.Scheduler.Now;
        SignatureCheck? signature = null;
        if (from is not null && defences.IsOn(DefenceSwitches.MessageSignatures))
        {
            // §6.3.4: the destination verifies the signature and drops what fails.
            signature = MessageSigner.Verify(message, null, _options.Validator);
            if (!signature.Valid) { Drop("bad signature"); return; }
            // §13.6.3: the signer must own the Node-ID the request claims to come from.
            if (defences.IsOn(DefenceSwitches.CertificateNodeId) && via.Count > 0 && signature.Certificate is { } cert && !cert.NodeIds.Contains(via[0]))
            {
                Drop("signer is not the origin");
                return;
            }
        }
        // §6.2.1 / UN-3: a request seen within its lifetime is answered as before and not executed twice.
        // Only after the signature verified (a forgery reusing the id gets nothing), and only to the
        // signer of the first: another node reusing the id is not retransmitting.
        if (defences.IsOn(DefenceSwitches.TransactionReplay) && _recent.TryGet(header.TransactionId, now, out var earlier, out var firstSigner))
        {
            Drop("repeated transaction");
            if (earlier is not null && firstSigner == (signature?.SignerNodeId ?? Opaque.Empty))
                SendResponse(earlier with { Header = ResponseHeader(header, via) });
            return;
        }
        if (defences.IsOn(DefenceSwitches.TransactionReplay)) _recent.Begin(header.TransactionId, now, signature?.SignerNodeId ?? Opaque.Empty);
        // §6.3.2.3: an unknown option marked DESTINATION_CRITICAL makes the destination refuse the request.
        if (defences.IsOn(DefenceSwitches.CriticalOptions) && header.Options.Any(o => o.IsDestinationCritical))
        {
            ErrorBack(message, via, ErrorCodes.UnsupportedForwardingOption, "a DESTINATION_CRITICAL option this peer does not support");
            return;
        }
        // §6.3.3: an unknown extension marked critical gets Error_Unknown_Extension.
        if (defences.IsOn(DefenceSwitches.CriticalOptions) && message.Contents.Extensions.Any(e => e.Critical))
        {
            ErrorBack(message, via, ErrorCodes.UnknownExtension, "a critical extension this peer does not support");
            return;
        }
        // §6.3.2.1: configuration_sequence must equal ours; ConfigUpdate with 65535 is always accepted.
        if (defences.IsOn(DefenceSwitches.ConfigSequence) && header.ConfigurationSequence != _options.ConfigurationSequence
            && !(header.ConfigurationSequence == 0xFFFF && message.MessageCode == MessageCodes.ConfigUpdateReq))
        {
            short delta = unchecked((short)(header.ConfigurationSequence - _options.ConfigurationSequence));
            ErrorBack(message, via, delta < 0 ? ErrorCodes.ConfigTooOld : ErrorCodes.ConfigTooNew,
                $"configuration_sequence {header.ConfigurationSequence}, this peer has {_options.ConfigurationSequence}");
            // §6.3.2.1, §6.5.4: "if the configuration file in the request is too old, the node MUST
            // generate a ConfigUpdate message to update the requesting node".
            if (delta < 0 && via.Count > 0) SendConfigUpdate(via[0]);
            return;
        }
        var request = new IncomingRequest(message, via, from?.RemoteNodeId ?? Opaque.Empty, signature, Answer);
        _onRequest(request);
    }

    private void Answer(IncomingRequest request, MessageBody body)
    {
        var header = ResponseHeader(request.Message.Header, request.Via);
        var response = Sign(new ReloadMessage(header, body));
        uint limit = request.Message.Header.MaxResponseLength;
        if (limit != 0 && body is not ErrorResponse && ReloadCodec.Encode(response).Length > limit)
        {
            // §6.3.2 max_response_length, §6.3.3.1: Error_Response_Too_Large instead of an answer that is too long.
            response = Sign(new ReloadMessage(header, ErrorResponse.Of(ErrorCodes.ResponseTooLarge, $"the answer would exceed max_response_length {limit}")));
        }
        if (_options.Defences.IsOn(DefenceSwitches.TransactionReplay)) _recent.Answer(header.TransactionId, response);
        SendResponse(response);
    }

    /// <summary>§6.2.2: the response's Destination List is the request's Via List (with the previous hop) reversed.</summary>
    private ForwardingHeader ResponseHeader(ForwardingHeader request, IReadOnlyList<Opaque> via) => new()
    {
        Overlay = _overlayHash,
        ConfigurationSequence = _options.ConfigurationSequence,
        Ttl = (byte)Math.Clamp(_options.Configuration.InitialTtl, 0, 255),
        TransactionId = request.TransactionId,
        DestinationList = new ValueList<Destination>(via.Reverse().Select(id => (Destination)new NodeDestination(id)).ToArray()),
    };

    private void SendResponse(ReloadMessage response)
    {
        if (response.Header.DestinationList.Count == 0)
        {
            // The request was our own, answered by ourselves: deliver on the next turn (no re-entrancy).
            _options.Scheduler.Schedule(TimeSpan.Zero, () => { lock (_gate) DeliverResponse(response, null, []); });
            return;
        }
        Route(response, null);
    }

    /// <summary>Answers a request with an error along its reversed path (no answer to answers).</summary>
    private void ErrorBack(ReloadMessage message, List<Opaque> via, ushort code, string info)
    {
        Drop(ErrorCodes.NameOf(code) ?? "error");
        if (!MessageCodes.IsRequest(message.MessageCode) || via.Count == 0) return;
        SendResponse(Sign(new ReloadMessage(ResponseHeader(message.Header, via), ErrorResponse.Of(code, info))));
    }

    private void DeliverResponse(ReloadMessage message, IPeerLink? from, List<Opaque> via)
    {
        if (!_pending.TryGetValue(message.Header.TransactionId, out var pending)) { Drop("no such transaction"); return; }
        var defences = _options.Defences;
        Opaque responder = via.Count > 0 ? via[0] : _options.NodeId;
        if (from is not null && defences.IsOn(DefenceSwitches.MessageSignatures))
        {
            var signature = MessageSigner.Verify(message, null, _options.Validator);
            if (!signature.Valid) { Drop("bad signature"); return; }
            responder = signature.SignerNodeId;
        }
        bool fromForwarder = message.Body is ErrorResponse e && ForwarderErrors.Contains(e.ErrorCode);
        if (from is not null && !fromForwarder && defences.IsOn(DefenceSwitches.ResponseOrigin) && !FromRightNode(pending.Target, responder))
        {
            // UN-1c: keep waiting for the true answer; retransmission gives it another chance.
            Drop("response from wrong node");
            return;
        }
        _pending.Remove(message.Header.TransactionId);
        pending.Timer?.Dispose();
        pending.Done(new RequestOutcome(message.Body, message, responder, via.Count));
    }

    /// <summary>
    /// §6.3.4: an answer to a Node-ID must come from that Node-ID (unless it was the wildcard); an
    /// answer to a Resource-ID from a node at least as close to it as any in our Neighbor Table.
    /// </summary>
    private bool FromRightNode(Destination target, Opaque responder)
    {
        switch (target)
        {
            case NodeDestination node:
                return node.NodeId.Span.IndexOfAnyExcept((byte)0xFF) < 0 || node.NodeId == responder;
            case ResourceDestination resource:
            {
                var k = RingId.From(resource.ResourceId);
                var distance = k.DistanceTo(RingId.From(responder));
                // "Close" in Chord: the responsible peer is the first at or after k.
                foreach (var n in _routing.Neighbors.Append(Self))
                    if (k.DistanceTo(n) < distance) return false;
                return true;
            }
            default:
                return true;
        }
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
        var now = _options.Scheduler.Now;
        if (_configUpdatesSent.TryGetValue(node, out var last) && now - last < _options.ReliabilityTimer) return;
        if (_configUpdatesSent.Count >= _options.MaxTransactions) _configUpdatesSent.Clear();
        _configUpdatesSent[node] = now;
        _configDocument ??= System.Text.Encoding.UTF8.GetBytes(Overlay.OverlayDocument.Of(_options.Configuration).ToXml());
        SendRequest([new NodeDestination(node)], new Messages.Link.ConfigDataUpdateReq(_configDocument.Value), _ => { }, configurationSequence: 0xFFFF);
    }

    // ---------------------------------------------------------------- helpers

    private ReloadMessage Sign(ReloadMessage message) =>
        _options.Identity is { } identity ? MessageSigner.Sign(message, identity, asNodeId: _options.NodeId) : message;

    private void Drop(string reason)
    {
        if (_drops.TryGetValue(reason, out var n)) _drops[reason] = n + 1;
        else if (_drops.Count < 64) _drops[reason] = 1;
    }
}
