using P2psip.Messages;
using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Peer.Transport;

/// <summary>
/// RELOAD message transport (§6.1–6.3) with symmetric recursive routing (§6.2), assembled from one
/// part per job: the <see cref="LinkTable"/> (the Connection Table), the <see cref="TransactionTable"/>
/// (requests this peer originates: retransmission, Error_Request_Timeout), the
/// <see cref="AdmissionChecks"/> (one named <see cref="AdmissionStep"/> per defence, each refusal
/// recorded in <see cref="Observations"/>), the <see cref="Router"/> (forwarding with Via and
/// Destination Lists, TTL) and <see cref="Delivery"/> (requests and answers for this peer, signing).
/// Not thread-safe by itself: every entry point runs under the owner's <c>gate</c>.
/// </summary>
public sealed class MessageTransport
{
    private readonly PeerOptions _options;
    private readonly IPeerLinkLayer _linkLayer;
    private readonly object _gate;
    private readonly LinkTable _links;
    private readonly TransactionTable _transactions;
    private readonly AdmissionChecks _checks;
    private readonly Router _router;
    private readonly Delivery _delivery;
    private readonly DecodeOptions _decodeOptions;
    private readonly uint _overlayHash;

    // One pair of delegates for all of this peer's links (a simulated peer has dozens).
    private readonly Action<IPeerLink, ReadOnlyMemory<byte>> _onReceived;
    private readonly Action<IPeerLink> _onClosed;

    /// <param name="decodeOptions">How to decode (Node-ID length, the data models of the configured Kinds, §11.1); given by the layer that knows the Kinds.</param>
    public MessageTransport(PeerOptions options, IPeerLinkLayer linkLayer, IOverlayRouting routing, Action<IncomingRequest> onRequest, object gate,
        DecodeOptions? decodeOptions = null)
    {
        if (options.Identity is null && options.Defences.IsOn(DefenceSwitches.MessageSignatures))
            throw new ArgumentException("a peer without an identity cannot sign: switch the message-signatures defence off for unsigned operation");
        _options = options;
        _linkLayer = linkLayer;
        _gate = gate;
        _decodeOptions = (decodeOptions ?? DecodeOptions.Default) with { NodeIdLength = options.Configuration.NodeIdLength };
        _overlayHash = OverlayHash(options.Configuration.InstanceName);
        Self = RingId.From(options.NodeId);
        Observations = new ObservationLog(options.ObservationCapacity);
        _links = new LinkTable(Self, options.MaxLinks);
        _transactions = new TransactionTable(options, gate);
        _checks = new AdmissionChecks(options, _overlayHash, routing, Self);
        _router = new Router(options, _links, routing, _checks, Observe);
        _delivery = new Delivery(options, _overlayHash, _checks, _transactions, _router, Observe, onRequest, gate);
        _router.Deliver = _delivery.Deliver;
        _router.ErrorBack = _delivery.ErrorBack;
        _delivery.SendRequest = (destinations, body, sequence) => SendRequest(destinations, body, _ => { }, sequence);
        _onReceived = OnReceived;
        _onClosed = OnClosed;
    }

    public RingId Self { get; }
    public Opaque NodeId => _options.NodeId;

    /// <summary>Called (under the gate) when a link to a Node-ID comes up or is lost.</summary>
    public event Action<RingId>? LinkUp, LinkLost;

    public long MessagesReceived { get; private set; }
    public long MessagesSent => _router.MessagesSent;
    public long MessagesForwarded => _router.MessagesForwarded;

    /// <summary>What the admission steps refused, typed: the step (and defence), the message, why.</summary>
    public ObservationLog Observations { get; }

    /// <summary>Join, Leave and Update requests dropped by the per-Node-ID rate limit (§10.7.2).</summary>
    public long RateLimited => Observations.Count(AdmissionStep.RateLimit);

    /// <summary>Messages refused, by <see cref="AdmissionStep.Name"/> (the counts of <see cref="Observations"/>).</summary>
    public IReadOnlyDictionary<string, long> Drops => Observations.Counts;

    public int PendingTransactions => _transactions.Count;
    public int RecentRequestCount => _checks.RecentRequestCount;
    public int LinkCount => _links.Count;
    public IEnumerable<RingId> Connected => _links.Connected;

    public bool IsConnected(RingId id) => _links.IsConnected(id);

    /// <summary>The link the Connection Table holds for the Node-ID now (open or closing), or null: which attachment a request went out on.</summary>
    public IPeerLink? CurrentLink(RingId id) => _links.TryGet(id, out var link) ? link : null;

    /// <summary>§6.3.2: overlay is the lower 32 bits of the SHA-1 hash of the overlay name.</summary>
    public static uint OverlayHash(string instanceName)
    {
        var digest = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(instanceName));
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(digest.AsSpan(digest.Length - 4));
    }

    private void Observe(AdmissionStep step, ReloadMessage? message, IPeerLink? link, string reason) =>
        Observations.Record(new Observation(_options.Scheduler.Now, step, message?.Header.TransactionId ?? 0, message?.MessageCode ?? 0,
            link?.RemoteNodeId ?? Opaque.Empty, reason));

    // ---------------------------------------------------------------- links

    /// <summary>
    /// Takes an authenticated link into the Connection Table and starts reading from it; a link the
    /// table does not keep (full, or a repeat that lost the tie-break, UN-5) is closed.
    /// </summary>
    public void Adopt(IPeerLink link, bool inbound = true)
    {
        switch (_links.Offer(link, inbound, out var replaced))
        {
            case LinkTable.Admission.Full:
                Observe(AdmissionStep.LinkTableFull, null, link, $"{_links.Count} links, MaxLinks {_options.MaxLinks}");
                link.Close();
                return;
            case LinkTable.Admission.Refused:
                Observe(AdmissionStep.RepeatedLink, null, link, "a link to this Node-ID is open and stays");
                link.Close();
                return;
            case LinkTable.Admission.Replaced:
                Observe(AdmissionStep.ReplacedLink, null, replaced, "a newer link to this Node-ID took its place");
                replaced!.Close();
                link.Start(_onReceived, _onClosed);
                return;
            default:
                link.Start(_onReceived, _onClosed);
                LinkUp?.Invoke(RingId.From(link.RemoteNodeId));
                return;
        }
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

    public void CloseLink(RingId id, bool afterQueued = false)
    {
        if (_links.Remove(id, out var link))
        {
            _checks.Forget(id);
            if (afterQueued) link.CloseAfterQueued();
            else link.Close();
            LinkLost?.Invoke(id);
        }
    }

    public void CloseAll()
    {
        foreach (var id in _links.Connected.ToList()) CloseLink(id);
        _transactions.Clear();
    }

    private void OnClosed(IPeerLink link)
    {
        lock (_gate)
        {
            if (!_links.RemoveIfCurrent(link)) return;
            var id = RingId.From(link.RemoteNodeId);
            _checks.Forget(id);
            LinkLost?.Invoke(id);
        }
    }

    // ---------------------------------------------------------------- originating requests

    /// <summary>
    /// Sends a request to the Destination List and reports how it ended: retransmitted with the
    /// same transaction id every overlay-reliability-timer, at most <see cref="PeerOptions.MaxTransmissions"/>
    /// transmissions, then Error_Request_Timeout (§6.2.1).
    /// </summary>
    /// <param name="maxTransmissions">Fewer transmissions for this request than the peer's (a copy of a redundant lookup, whose other paths are its retries).</param>
    /// <param name="certificates">Further certificates for the bucket (§6.3.4), e.g. those of the signers of replicated values (§10.4).</param>
    public void SendRequest(ValueList<Destination> destinations, MessageBody body, Action<RequestOutcome> done, ushort? configurationSequence = null,
        IReadOnlyList<Opaque>? certificates = null, int? maxTransmissions = null)
    {
        if (_transactions.IsFull)
        {
            done(RequestOutcome.Local(ErrorCodes.InProgress, "too many outstanding requests"));
            return;
        }
        var header = new ForwardingHeader
        {
            Overlay = _overlayHash,
            ConfigurationSequence = configurationSequence ?? _options.ConfigurationSequence,
            Ttl = (byte)Math.Clamp(_options.Configuration.InitialTtl, 0, 255),
            TransactionId = _transactions.NewId(),
            DestinationList = destinations,
        };
        var unsigned = new ReloadMessage(header, body);
        if (certificates is { Count: > 0 })
            unsigned = unsigned with { Security = unsigned.Security with { Certificates = new ValueList<Messages.Security.GenericCertificate>(certificates.Select(Messages.Security.GenericCertificate.OfX509).ToArray()) } };
        var message = _delivery.Sign(unsigned);
        _transactions.Start(new PendingTransaction(message, done) { MaxTransmissions = maxTransmissions }, request => _router.Route(request, null));
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
                Observe(AdmissionStep.NotProcessable, null, link, $"{e.GetType().Name}: {e.Message}");
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
        if (_checks.MessageSize(bytes.Length) is { } tooLarge)
        {
            _delivery.ErrorBack(message, Router.WithPreviousHop(header.ViaList, link.RemoteNodeId), tooLarge, link);
            // The error goes out before the link closes (it is queued on the link first).
            if (_links.IsCurrent(link)) CloseLink(RingId.From(link.RemoteNodeId), afterQueued: true);
            else link.CloseAfterQueued();
            return;
        }
        if ((_checks.Overlay(header) ?? _checks.Fragment(header) ?? _checks.RateLimit(link, message.MessageCode)) is { } dropped)
        {
            Observe(dropped.Step, message, link, dropped.Reason);
            return;
        }
        if ((_checks.TtlCeiling(header) ?? AdmissionChecks.DuplicateDestination(header)) is { } refusal)
        {
            _delivery.ErrorBack(message, Router.WithPreviousHop(header.ViaList, link.RemoteNodeId), refusal, link);
            return;
        }
        _router.Route(message, link);
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
            var request = new ReloadMessage(header, new MessageContents(new OpaqueBody(code, Opaque.Empty)), Messages.Security.SecurityBlock.Unsigned);
            _delivery.ErrorBack(request, Router.WithPreviousHop(header.ViaList, link.RemoteNodeId),
                new Refusal(AdmissionStep.InvalidRequest, error.ToString(), ErrorCodes.InvalidMessage), link);
            return;
        }
        Observations.Record(new Observation(_options.Scheduler.Now, AdmissionStep.Undecodable, 0, 0, link.RemoteNodeId, error.ToString()));
    }
}
