using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Peer.Chord;
using P2psip.Peer.Transport;
using P2psip.Wire;

namespace P2psip.Peer;

/// <summary>
/// The harness's reference RELOAD peer: message transport (§6) under CHORD-RELOAD (§10), with a
/// storage layer plugged in through <see cref="IStorageHandler"/>. Every defence of THREATS.md is
/// a switch in <see cref="PeerOptions.Defences"/>. All state is guarded by one lock, so links,
/// timers and API calls may come from any thread; with a <see cref="Scheduling.VirtualScheduler"/>
/// everything runs on the caller's thread, deterministically.
/// </summary>
public sealed partial class ReferencePeer : IOverlayRouting
{
    private readonly object _gate = new();
    private readonly PeerOptions _options;
    private readonly IPeerLinkLayer _linkLayer;
    private readonly IStorageHandler? _storage;
    private readonly MessageTransport _transport;
    private readonly NeighborTable _neighbors;
    private readonly FingerTable _fingers;
    private readonly ChordRouting _routing;
    private readonly List<IDisposable> _timers = [];
    private DateTimeOffset _startedAt;

    public ReferencePeer(PeerOptions options, IPeerLinkLayer linkLayer, IStorageHandler? storage = null)
    {
        if (options.NodeId.Length != options.Configuration.NodeIdLength)
            throw new ArgumentException($"the Node-ID has {options.NodeId.Length} bytes, the overlay's node-id-length is {options.Configuration.NodeIdLength}");
        if (options.Configuration.NodeIdLength != RingId.Bytes)
            throw new ArgumentException("CHORD-RELOAD uses 128-bit Node-IDs (§10.2): node-id-length must be 16");
        if (options.Identity is { } identity && !identity.NodeIds.Contains(options.NodeId))
            throw new ArgumentException("the Node-ID is not one of the identity's certificate's Node-IDs (§13.6.3)");
        _options = options;
        _linkLayer = linkLayer;
        _storage = storage;
        Self = RingId.From(options.NodeId);
        _neighbors = new NeighborTable(Self, options.Chord.NeighborCount);
        _fingers = new FingerTable(Self, options.Chord.FingerCount);
        _routing = new ChordRouting(_neighbors, _fingers);
        _transport = new MessageTransport(options, linkLayer, this, OnRequest, _gate,
            new DecodeOptions { Kinds = storage?.Kinds ?? Messages.Storage.KindRegistry.Default });
        _transport.LinkUp += OnLinkUp;
        _transport.LinkLost += OnLinkLost;
    }

    public RingId Self { get; }
    public Opaque NodeId => _options.NodeId;
    public PeerOptions Options => _options;
    public PeerState State { get; private set; } = PeerState.Created;
    public MessageTransport Transport => _transport;
    public IpAddressPort Address => _linkLayer.LocalAddress;

    // ---------------------------------------------------------------- IOverlayRouting

    bool IOverlayRouting.IsResponsible(RingId id) => State == PeerState.Joined && _routing.IsResponsible(id);

    RingId? IOverlayRouting.NextHop(RingId target) => _options.Behaviour.NextHop(this, target, NextHop(target));

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
    public void StartFirst()
    {
        lock (_gate)
        {
            Listen();
            State = PeerState.Joined;
            OnJoined();
        }
    }

    private void Listen()
    {
        _startedAt = _options.Scheduler.Now;
        _linkLayer.Listen(link => { lock (_gate) { if (State != PeerState.Stopped) _transport.Adopt(link); else link.Close(); } });
    }

    /// <summary>Disappears without a Leave (a crash, for failure tests and the simulator).</summary>
    public void Crash()
    {
        lock (_gate)
        {
            StopTimers();
            State = PeerState.Stopped;
            _transport.CloseAll();
            _linkLayer.Shutdown();
        }
    }

    private void StopTimers()
    {
        foreach (var t in _timers) t.Dispose();
        _timers.Clear();
    }

    /// <summary>The routing state now.</summary>
    public RoutingSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new RoutingSnapshot(NodeId, State,
                _neighbors.Predecessors.Select(p => p.ToOpaque()).ToList(),
                _neighbors.Successors.Select(p => p.ToOpaque()).ToList(),
                _fingers.Distinct.Select(p => p.ToOpaque()).ToList(),
                _transport.Connected.Select(p => p.ToOpaque()).ToList(),
                _options.Defences.ToString());
        }
    }

    // ---------------------------------------------------------------- client API

    /// <summary>Sends a request to a destination and calls <paramref name="done"/> with the outcome (on the peer's lock).</summary>
    public void Send(Destination destination, MessageBody request, Action<RequestOutcome> done)
    {
        lock (_gate) _transport.SendRequest([destination], request, done);
    }

    public Task<RequestOutcome> SendAsync(Destination destination, MessageBody request)
    {
        var tcs = new TaskCompletionSource<RequestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Send(destination, request, tcs.SetResult);
        return tcs.Task;
    }

    /// <summary>A storage request (Store, Fetch, Stat, Find, §7) to the peer responsible for a Resource-ID.</summary>
    public Task<RequestOutcome> RequestResourceAsync(Opaque resourceId, MessageBody request) => SendAsync(new ResourceDestination(resourceId), request);

    /// <summary>Ping (§6.5.3) to a Node-ID or Resource-ID: who answers shows who is responsible.</summary>
    public Task<RequestOutcome> PingAsync(Destination destination) => SendAsync(destination, new PingReq(Opaque.Empty));

    /// <summary>RouteQuery (§10.8): asks <paramref name="peer"/> where it would route a message for <paramref name="destination"/>.</summary>
    public Task<RequestOutcome> RouteQueryAsync(Opaque peer, Destination destination, bool sendUpdate = false) =>
        SendAsync(new NodeDestination(peer), new RouteQueryReq(sendUpdate, destination));

    /// <summary>Probe (§6.4.2.5) of a peer for its responsible set, resource count and uptime.</summary>
    public Task<RequestOutcome> ProbeAsync(Opaque peer) =>
        SendAsync(new NodeDestination(peer), new ProbeReq([ProbeInformationType.ResponsibleSet, ProbeInformationType.NumResources, ProbeInformationType.Uptime]));

    // ---------------------------------------------------------------- requests to this peer

    private void OnRequest(IncomingRequest request) => _options.Behaviour.OnRequest(this, request, Dispatch);

    /// <summary>The reference's own request dispatch (a persona may wrap or replace it).</summary>
    private void Dispatch(IncomingRequest request)
    {
        switch (request.Body)
        {
            case PingReq:
                // §6.5.3.2: response_id is random; time is milliseconds since the epoch.
                request.Reply(new PingAns((ulong)_options.Random.NextInt64(), (ulong)_options.Scheduler.Now.ToUnixTimeMilliseconds()));
                break;
            case AttachReq attach:
                HandleAttach(request, attach);
                break;
            case JoinReq join:
                HandleJoin(request, join);
                break;
            case UpdateReq update:
                HandleUpdate(request, update.Update);
                break;
            case LeaveReq leave:
                HandleLeave(request, leave);
                break;
            case RouteQueryReq query:
                HandleRouteQuery(request, query);
                break;
            case ProbeReq probe:
                HandleProbe(request, probe);
                break;
            case AppAttachReq appAttach:
                // §6.5.2: NO-ICE: the application is reached at this peer's own address.
                request.Reply(new AppAttachAns(RandomBytes(8), RandomBytes(16), appAttach.Application, Text(AnswererRole), [HostCandidate()]));
                break;
            case ConfigUpdateReq update:
                request.Reply(AnswerConfigUpdate(update));
                break;
            case var body when _storage is not null && _storage.Handles(body.Code):
                request.Reply(_storage.Handle(body, StorageContext(request)));
                break;
            case var body when body.Code is MessageCodes.StoreReq or MessageCodes.FetchReq or MessageCodes.StatReq or MessageCodes.FindReq:
                request.Reply(ErrorResponse.Of(ErrorCodes.Forbidden, "this peer has no storage"));
                break;
            default:
                request.Reply(ErrorResponse.Of(ErrorCodes.InvalidMessage, $"{MessageCodes.NameOf(request.Message.MessageCode) ?? "this message code"} is not supported here"));
                break;
        }
    }

    /// <summary>
    /// §6.5.4.2: a config update is processed only if its sequence is newer and the document is
    /// correctly signed, a kind update only if signed by a kind-signer. This peer verifies neither
    /// signature, so it reconfigures from neither and says why; a document it cannot read is invalid.
    /// </summary>
    private MessageBody AnswerConfigUpdate(ConfigUpdateReq update)
    {
        switch (update)
        {
            case ConfigDataUpdateReq data:
                Overlay.OverlayConfiguration? offered;
                try
                {
                    offered = Overlay.OverlayDocument.Parse(System.Text.Encoding.UTF8.GetString(data.ConfigData.Span)).Find(_options.Configuration.InstanceName);
                }
                catch (Exception e) when (e is Overlay.OverlayConfigurationError or System.Xml.XmlException or FormatException or ArgumentException)
                {
                    return ErrorResponse.Of(ErrorCodes.InvalidMessage, $"config_data is not a configuration document: {e.Message} (§6.5.4.1, §11.1)");
                }
                if (offered is null)
                    return ErrorResponse.Of(ErrorCodes.InvalidMessage, $"config_data holds no configuration for {_options.Configuration.InstanceName} (§6.5.4.1)");
                ushort offeredSequence = (ushort)(offered.Sequence ?? 0);
                if (unchecked((short)(offeredSequence - _options.ConfigurationSequence)) <= 0)
                    return ErrorResponse.Of(ErrorCodes.Forbidden, $"the offered configuration has sequence {offeredSequence}, not newer than this peer's {_options.ConfigurationSequence} (§6.5.4.2)");
                return ErrorResponse.Of(ErrorCodes.Forbidden, "this peer does not verify configuration signatures, so it takes no configuration from a ConfigUpdate (§6.5.4.2, §11.1)");
            case KindUpdateReq:
                return ErrorResponse.Of(ErrorCodes.Forbidden, "this peer does not verify kind-signer signatures, so it takes no Kind from a ConfigUpdate (§6.5.4.2)");
            default:
                return ErrorResponse.Of(ErrorCodes.InvalidMessage, $"ConfigUpdate type {update.Type} is not one this peer knows (§6.5.4.1)");
        }
    }

    private RequestContext StorageContext(IncomingRequest request)
    {
        var target = request.Message.Header.DestinationList.LastOrDefault() as ResourceDestination;
        return new RequestContext
        {
            Message = request.Message,
            LocalNodeId = NodeId,
            OriginNodeId = request.Via.Count > 0 ? request.Via[0] : NodeId,
            PreviousHop = request.PreviousHop,
            SignerCertificate = request.Signature?.Certificate,
            SignerNodeId = request.Signature?.SignerNodeId ?? Opaque.Empty,
            TargetResourceId = target?.ResourceId,
            IsResponsible = target is null || _routing.IsResponsible(RingId.From(target.ResourceId)),
            ResponsibleRange = _neighbors.Responsible,
            Predecessors = _neighbors.Predecessors.Select(p => p.ToOpaque()).ToList(),
            Successors = _neighbors.Successors.Select(p => p.ToOpaque()).ToList(),
            Configuration = _options.Configuration,
            Defences = _options.Defences,
            Scheduler = _options.Scheduler,
            SendRequest = (node, body) => _transport.SendRequest([new NodeDestination(node)], body, _ => { }),
        };
    }

    private void HandleRouteQuery(IncomingRequest request, RouteQueryReq query)
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
        request.Reply(_options.Behaviour.AnswerRouteQuery(this, request, honest));
        if (next is null) return;
        if (query.SendUpdate && !request.Origin.IsEmpty) SendUpdate(RingId.From(request.Origin), FullUpdate());
    }

    private void HandleProbe(IncomingRequest request, ProbeReq probe)
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
        request.Reply(_options.Behaviour.AnswerProbe(this, request, new ProbeAns(new ValueList<ProbeInformation>(info.ToArray()))));
    }

    private uint Uptime => (uint)Math.Max(0, (_options.Scheduler.Now - _startedAt).TotalSeconds);

    private IceCandidate HostCandidate() =>
        IceCandidate.Host(_linkLayer.LocalAddress, _linkLayer.LinkProtocol, Opaque.Utf8("1"), 1);

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _options.Random.NextBytes(bytes);
        return bytes;
    }
}
