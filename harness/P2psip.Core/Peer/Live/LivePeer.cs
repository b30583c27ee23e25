using Org.BouncyCastle.X509;
using P2psip.Links;
using P2psip.Links.Dtls;
using P2psip.Links.PeerLinks;
using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Overlay;
using P2psip.Peer.Scheduling;
using P2psip.Peer.Storage;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Live;

/// <summary>
/// A reference peer on real sockets and wall-clock time: TLS or DTLS links authenticated against the
/// overlay's root certificates (§13.3), the storage engine with replication (§7, §10.4), and the
/// defence switches, of which every one switched off is printed at start-up. What
/// <c>p2psip peer</c> runs, and what the integration tests build rings from.
/// </summary>
public sealed class LivePeer : IAsyncDisposable
{
    private LivePeer(LivePeerOptions options, OverlayPeerLinkLayer links, PeerStorageHandler storage, ReferencePeer peer)
    {
        Options = options;
        Links = links;
        Storage = storage;
        Peer = peer;
    }

    public LivePeerOptions Options { get; }
    public ReferencePeer Peer { get; }

    /// <summary>The link layer; its <see cref="OverlayPeerLinkLayer.AddHandler"/> puts capture and the adversary on every link.</summary>
    public OverlayPeerLinkLayer Links { get; }

    public PeerStorageHandler Storage { get; }
    public Opaque NodeId => Peer.NodeId;
    public IpAddressPort Address => Links.LocalAddress;

    /// <summary>The validator for an overlay: its root-cert elements (§11.1) and instance name.</summary>
    public static CertificateValidator ValidatorFor(OverlayConfiguration configuration, bool permissive = false)
    {
        if (configuration.RootCertificates.Count == 0 && configuration.SelfSignedPermitted != true)
            throw new ArgumentException($"the configuration of {configuration.InstanceName} has no root-cert: links cannot be authenticated (§11.1)");
        var parser = new X509CertificateParser();
        // §11.1: bad-node entries are refused; self-signed-permitted admits self-signed certificates
        // whose Node-ID is the digest of their key (§11.3.1).
        return new CertificateValidator(configuration.RootCertificates.Select(der => parser.ReadCertificate(der.ToArray())), configuration.InstanceName,
            configuration.BadNodes)
        {
            Permissive = permissive,
            SelfSignedPermitted = configuration.SelfSignedPermitted == true,
            SelfSignedDigest = configuration.SelfSignedDigest,
            NodeIdLength = configuration.NodeIdLength,
        };
    }

    /// <summary>Binds the listening address and builds the peer; it neither joins nor listens yet.</summary>
    public static LivePeer Create(LivePeerOptions options)
    {
        var configuration = options.ReliabilityTimerMillis is { } timer
            ? options.Configuration with { OverlayReliabilityTimer = timer }
            : options.Configuration;
        var validator = ValidatorFor(configuration);
        // §13.3 (TR-1b, TR-3): with certificate-validation off, links take any parseable certificate
        // (other CA, expired, self-signed) and still read its Node-ID; message signatures keep the strict validator.
        var linkValidator = options.Defences.IsOn(DefenceSwitches.CertificateValidation) ? validator : ValidatorFor(configuration, permissive: true);
        var security = new LinkSecurity(options.Identity, linkValidator) { Log = options.Log };
        // §6.6 (TR-1a): overlay links are TLS or DTLS; plaintext only with the tls-only defence switched off.
        if (options.Transport == LinkTransport.InsecureTcp && options.Defences.IsOn(DefenceSwitches.TlsOnly))
            throw new ArgumentException($"the INSECURE plaintext transport is refused while the {DefenceSwitches.TlsOnly} defence is on (§6.6: links are TLS or DTLS); switch it off to use plaintext");
        // §11.1 max-message-size: the framing layer refuses longer frames.
        // §6.3.2 asks for Error_Message_Too_Large, which only the transport can send: the framing
        // layer lets frames up to twice max-message-size through to it, and drops larger ones unbuffered.
        var limits = new LinkLimits { MaxMessageSize = (int)Math.Min(2L * configuration.MaxMessageSize + 64, 0xFF_FFFF) };
        OverlayPeerLinkLayer links = options.Transport switch
        {
            LinkTransport.Dtls => new DtlsPeerLinkLayer(options.Listen, security, new DtlsLinkOptions { Limits = limits }),
            LinkTransport.InsecureTcp => new PlaintextPeerLinkLayer(options.Listen, security, configuration.NodeIdLength, limits),
            _ => new TlsPeerLinkLayer(options.Listen, security, limits),
        };
        // StoredData signers are checked by the strict validator, as message signers are (§7.1, TR-2b).
        var storage = new PeerStorageHandler(configuration, options.Defences, RealTimeScheduler.Instance, options.Identity.Certificate, validator: validator);
        storage.Learn(options.Identity.Certificate);
        // Certificate learning is the first handler on every link, nearest the peer.
        links.AddHandler(_ => new CertificateLearningHandler(storage.Learn));
        var peer = new ReferencePeer(new PeerOptions
        {
            Configuration = configuration,
            NodeId = options.Identity.NodeId,
            Identity = options.Identity,
            Validator = validator,
            Defences = options.Defences,
            Scheduler = RealTimeScheduler.Instance,
            Behaviour = options.Behaviour,
            InjectedFault = options.InjectedFault,
        }, options.WrapLinks?.Invoke(links) ?? links, storage);
        return new LivePeer(options with { Configuration = configuration }, links, storage, peer);
    }

    /// <summary>Lines describing the peer and, one per line, each defence switched off (issue 4: printed at start-up).</summary>
    public IEnumerable<string> StartupReport()
    {
        yield return $"peer {NodeId.ToHex()} ({Options.Identity.UserName}) of overlay {Options.Configuration.InstanceName} on {Links.LocalAddress} over {ProtocolName(Options.Transport)}";
        if (Options.InjectedFault is { } fault) yield return fault.Banner;
        var off = Options.Defences.Disabled;
        if (off.Count == 0) yield return "defences: all on";
        foreach (var defence in off) yield return $"DEFENCE OFF: {defence}";
    }

    private static string ProtocolName(LinkTransport transport) => transport switch
    {
        LinkTransport.Dtls => "DTLS-UDP-SR-NO-ICE",
        LinkTransport.InsecureTcp => PlaintextLinks.FramedProtocol,
        _ => TlsLinks.Protocol,
    };

    /// <summary>Starts as the first peer, or joins through <see cref="LivePeerOptions.Bootstrap"/> (§10.5).</summary>
    public async Task StartAsync(TimeSpan? joinTimeout = null)
    {
        foreach (var line in StartupReport()) Options.Log?.Invoke(line);
        if (Options.Bootstrap is not { } bootstrap)
        {
            Peer.StartFirst();
            return;
        }
        await Peer.JoinAsync(bootstrap).WaitAsync(joinTimeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    /// <summary>Leaves cleanly (§10.9: data to the successor, Leave to the neighbours).</summary>
    public Task LeaveAsync(TimeSpan? timeout = null) =>
        Peer.LeaveAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Vanishes without a Leave: a crash, for failure tests.</summary>
    public void Crash() => Peer.Crash();

    // ---------------------------------------------------------------- the SIP usage

    /// <summary>Registers <paramref name="contactUri"/> for <paramref name="aor"/> under this peer's Node-ID (Kind SIP-REGISTRATION, USER-NODE-MATCH).</summary>
    public Task<RequestOutcome> RegisterAsync(string aor, string contactUri, uint lifetimeSeconds = 3600) =>
        Peer.RequestResourceAsync(SipUsage.ResourceIdOf(aor),
            SipUsage.Register(Options.Identity, aor, contactUri, DateTimeOffset.UtcNow, lifetimeSeconds));

    /// <summary>The contacts registered for <paramref name="aor"/>, or the error that came back.</summary>
    public async Task<(IReadOnlyList<SipContact> Contacts, RequestOutcome Outcome)> LookupAsync(string aor)
    {
        var outcome = await Peer.RequestResourceAsync(SipUsage.ResourceIdOf(aor), SipUsage.Lookup(aor)).ConfigureAwait(false);
        return outcome.Body is FetchAns answer
            ? (SipUsage.ContactsIn(answer, aor), outcome)
            : ([], outcome);
    }

    public async ValueTask DisposeAsync()
    {
        if (Peer.State is PeerState.Joined) await LeaveAsync().ConfigureAwait(false);
        else Crash();
    }
}
