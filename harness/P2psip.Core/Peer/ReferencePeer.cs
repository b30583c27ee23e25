using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Messages.Storage;
using P2psip.Peer.Chord;
using P2psip.Peer.Lookup;
using P2psip.Peer.Transport;
using P2psip.Wire;

namespace P2psip.Peer;

/// <summary>
/// The harness's reference RELOAD peer: message transport (§6) under the CHORD-RELOAD component
/// (§10, <see cref="ChordReload"/>), with a storage layer plugged in through
/// <see cref="IStorageHandler"/>. Every defence of THREATS.md is a switch in
/// <see cref="PeerOptions.Defences"/>; a persona's <see cref="PeerOptions.Behaviour"/> may change
/// what it does. All state is guarded by one lock, so links, timers and API calls may come from any
/// thread; with a <see cref="Scheduling.VirtualScheduler"/> everything runs on the caller's thread,
/// deterministically.
/// </summary>
public sealed class ReferencePeer
{
    private readonly object _gate = new();
    private readonly PeerOptions _options;
    private readonly IPeerLinkLayer _linkLayer;
    private readonly IStorageHandler? _storage;
    private readonly MessageTransport _transport;
    private readonly ChordReload _chord;

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
        _chord = new ChordReload(this, options, linkLayer, storage, _gate);
        _transport = new MessageTransport(options, linkLayer, _chord, OnRequest, _gate,
            new DecodeOptions { Kinds = storage?.Kinds ?? Messages.Storage.KindRegistry.Default });
        _chord.Bind(_transport);
        _chord.UpdateHeard = LookupLinks.Heard;
    }

    /// <summary>The lock every call into this peer runs under (for timers of its lookups).</summary>
    internal object Gate => _gate;

    /// <summary>The links and awaited Updates of this peer's running lookups.</summary>
    internal LookupLinks LookupLinks { get; } = new();

    public RingId Self { get; }
    public Opaque NodeId => _options.NodeId;
    public PeerOptions Options => _options;
    public PeerState State => _chord.State;

    /// <summary>After every change of <see cref="State"/> (the simulator's live list).</summary>
    internal event Action StateChanged
    {
        add => _chord.StateChanged += value;
        remove => _chord.StateChanged -= value;
    }
    public MessageTransport Transport => _transport;
    public ChordReload Chord => _chord;
    public IpAddressPort Address => _linkLayer.LocalAddress;

    /// <summary>The storage layer this peer was built with (null: none), for observers such as the simulator.</summary>
    public IStorageHandler? Storage => _storage;

    /// <summary>Attaches to Update candidates still running (bounded by <see cref="PeerOptions.MaxPendingAttaches"/>).</summary>
    public int PendingAttachCount => _chord.PendingAttachCount;

    // ---------------------------------------------------------------- life cycle

    /// <summary>Starts the first peer of an overlay: a ring of one, responsible for everything.</summary>
    public void StartFirst()
    {
        lock (_gate) _chord.StartFirst();
    }

    /// <summary>Joins through a bootstrap peer; <paramref name="done"/> gets null on success or the reason it failed.</summary>
    public void Join(IpAddressPort bootstrap, Action<string?> done) => _chord.Join(bootstrap, done);

    public Task JoinAsync(IpAddressPort bootstrap)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Join(bootstrap, why => { if (why is null) tcs.SetResult(); else tcs.SetException(new InvalidOperationException(why)); });
        return tcs.Task;
    }

    /// <summary>Leaves cleanly (§10.9): data to the successor, Leave to the neighbours, then every link closed.</summary>
    public void Leave(Action done) => _chord.Leave(done);

    public Task LeaveAsync()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Leave(tcs.SetResult);
        return tcs.Task;
    }

    /// <summary>Disappears without a Leave (a crash, for failure tests and the simulator).</summary>
    public void Crash()
    {
        lock (_gate) _chord.Crash();
    }

    /// <summary>Looks for better fingers now (the periodic search of §10.7.4.2, run on demand).</summary>
    public void RefreshFingers() => _chord.RefreshFingers();

    /// <summary>The routing state now.</summary>
    public RoutingSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new RoutingSnapshot(NodeId, State,
                _chord.Predecessors.Select(p => p.ToOpaque()).ToList(),
                _chord.Successors.Select(p => p.ToOpaque()).ToList(),
                _chord.Fingers.Select(p => p.ToOpaque()).ToList(),
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

    /// <summary>
    /// Looks a Resource-ID up with a Fetch, as an application would: <see cref="LookupMode.Plain"/>
    /// sends it once and takes the transport's answer; a redundant mode, when the redundant-lookups
    /// defence is on, queries through several first hops and the replica set and keeps the freshest
    /// answer that verifies (§13.6.6, <see cref="Lookup.RedundantLookup"/>). <paramref name="certificates"/>
    /// holds certificates of the values' signers known beside the answers (§8; the usage's). With the
    /// defence off every lookup is plain.
    /// </summary>
    public void Lookup(FetchReq fetch, LookupMode mode, Security.CertificateStore? certificates, Action<LookupResult> done)
    {
        lock (_gate)
        {
            if (mode.IsRedundant && _options.Defences.IsOn(DefenceSwitches.RedundantLookups))
            {
                new RedundantLookup(this, fetch, mode.Paths, certificates, done).Start();
                return;
            }
            _transport.SendRequest([new ResourceDestination(fetch.Resource)], fetch, outcome => done(new LookupResult
            {
                Mode = LookupMode.Plain,
                Outcome = outcome,
                Answer = outcome.Body as FetchAns,
                Responders = outcome.Body is FetchAns ? [outcome.Responder] : [],
                Requests = 1,
                Answers = outcome.IsLocal ? 0 : 1,
                Accepted = outcome.Body is FetchAns ? 1 : 0,
            }));
        }
    }

    public Task<LookupResult> LookupAsync(FetchReq fetch, LookupMode mode, Security.CertificateStore? certificates = null)
    {
        var tcs = new TaskCompletionSource<LookupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Lookup(fetch, mode, certificates, tcs.SetResult);
        return tcs.Task;
    }

    /// <summary>
    /// A Store to the peer responsible for its Resource-ID: plain, routed by the overlay; redundant
    /// (with the redundant-lookups defence on), over the route a requester-controlled walk finds
    /// (<see cref="Lookup.RedundantStore"/>), so no one forwarder can drop it.
    /// </summary>
    public void Store(StoreReq store, LookupMode mode, Action<RequestOutcome> done)
    {
        lock (_gate)
        {
            if (mode.IsRedundant && _options.Defences.IsOn(DefenceSwitches.RedundantLookups))
            {
                new RedundantStore(this, store, mode.Paths, done).Start();
                return;
            }
            _transport.SendRequest([new ResourceDestination(store.Resource)], store, done);
        }
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

    /// <summary>The reference's own request dispatch (a persona may wrap or replace it): topology to CHORD-RELOAD, data to storage.</summary>
    private void Dispatch(IncomingRequest request)
    {
        if (_options.InjectedFault is not null && InjectedFaultHandled(request)) return;
        switch (request.Body)
        {
            case PingReq:
                // §6.5.3.2: response_id is random; time is milliseconds since the epoch.
                request.Reply(new PingAns((ulong)_options.Random.NextInt64(), (ulong)_options.Scheduler.Now.ToUnixTimeMilliseconds()));
                break;
            case AttachReq attach:
                _chord.HandleAttach(request, attach);
                break;
            case JoinReq join:
                _chord.HandleJoin(request, join);
                break;
            case UpdateReq update:
                _chord.HandleUpdate(request, update.Update);
                break;
            case LeaveReq leave:
                _chord.HandleLeave(request, leave);
                break;
            case RouteQueryReq query:
                _chord.HandleRouteQuery(request, query);
                break;
            case ProbeReq probe:
                _chord.HandleProbe(request, probe);
                break;
            case AppAttachReq appAttach:
                // §6.5.2: NO-ICE: the application is reached at this peer's own address.
                request.Reply(new AppAttachAns(_chord.RandomBytes(8), _chord.RandomBytes(16), appAttach.Application,
                    Opaque.Utf8(ChordReload.AnswererRole), [_chord.HostCandidate()]));
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

    private InjectedFaultEffect? _faultTripped;
    private int _faultMatches;

    /// <summary>TEST-ONLY (issue 12): trips the planted defect, and from then on acts it out. True when the request is dealt with.</summary>
    private bool InjectedFaultHandled(IncomingRequest request)
    {
        if (_faultTripped is null && _options.InjectedFault!.Trips(request.Body) && ++_faultMatches >= _options.InjectedFault.Times)
            _faultTripped = _options.InjectedFault.Effect;
        switch (_faultTripped)
        {
            case InjectedFaultEffect.Crash:
                // Off this thread: the crash takes the lock this dispatch runs under.
                _ = Task.Run(Crash);
                return true;
            case InjectedFaultEffect.Hang:
                return true;
            case InjectedFaultEffect.WrongAnswer when request.Body is PingReq:
                request.Reply(ErrorResponse.Of(ErrorCodes.InvalidMessage, "state corrupted"));
                return true;
            default:
                return false;
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
            IsResponsible = target is null || _chord.Covers(RingId.From(target.ResourceId)),
            ResponsibleRange = _chord.Responsible,
            Predecessors = _chord.Predecessors.Select(p => p.ToOpaque()).ToList(),
            Successors = _chord.Successors.Select(p => p.ToOpaque()).ToList(),
            Configuration = _options.Configuration,
            Defences = _options.Defences,
            Scheduler = _options.Scheduler,
            SendRequest = (node, body) => _transport.SendRequest([new NodeDestination(node)], body, _ => { }),
            SendRequestWithCertificates = (node, body, certificates) => _transport.SendRequest([new NodeDestination(node)], body, _ => { }, certificates: certificates),
        };
    }
}
