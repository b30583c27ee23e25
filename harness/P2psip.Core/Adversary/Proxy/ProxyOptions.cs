using System.Net;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary.Proxy;

/// <summary>What the proxy's link ends are: TLS-TCP-FH-NO-ICE, DTLS-UDP-SR-NO-ICE, or INSECURE plaintext (framed or not) for peers without TLS.</summary>
public enum ProxyTransport
{
    Tls,
    Dtls,
    PlaintextFramed,
    PlaintextUnframed,
}

/// <summary>
/// Which certificates the proxy presents (TR-3). <see cref="Insider"/>: lab-issued certificates for
/// the Node-ID each side expects (the upstream's toward the downstream peer, the downstream peer's
/// toward the upstream) — a trusted man in the middle for forwarding attacks (UN-2). The others are
/// impostors a peer must refuse: another Node-ID, a foreign CA, self-signed, expired.
/// </summary>
public enum ProxyPresentation
{
    Insider,
    OtherNodeId,
    ForeignCa,
    SelfSigned,
    Expired,
}

/// <summary>Settings of one proxy: where it listens, where it relays to, the lab whose CA mints its identities, and the engine deciding what crosses.</summary>
public sealed record ProxyOptions(IPEndPoint Listen, IPEndPoint Upstream, AdversaryEngine Engine)
{
    /// <summary>The lab's CA (needed for TLS): validates both sides and mints the identities the proxy presents.</summary>
    public EnrollmentAuthority? Lab { get; init; }
    public ProxyTransport Transport { get; init; } = ProxyTransport.Tls;
    public ProxyPresentation Presentation { get; init; } = ProxyPresentation.Insider;
    /// <summary>The upstream's Node-ID; when not given, a first connection to the upstream learns it from its certificate.</summary>
    public Opaque? UpstreamNodeId { get; init; }
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Other nodes the proxy can reach, for redirects and replays to another node: a link to each
    /// is opened (presenting the downstream peer's Node-ID) when a message is first sent there, and
    /// what comes back on it goes to the downstream peer. A Node-ID not given is learned at start.
    /// </summary>
    public IReadOnlyList<ProxyNode> Also { get; init; } = [];

    /// <summary>Timers and bounds of the DTLS links on both sides (DTLS transport only).</summary>
    public P2psip.Links.Dtls.DtlsLinkOptions? Dtls { get; init; }

    /// <summary>Where both links of every relayed connection are recorded (decrypted), or null.</summary>
    public P2psip.Capture.PcapStreamWriter? Capture { get; init; }
}

/// <summary>A node the proxy can send to besides the upstream: its address and, when known, its Node-ID.</summary>
public sealed record ProxyNode(IPEndPoint Endpoint, Opaque? NodeId = null);
