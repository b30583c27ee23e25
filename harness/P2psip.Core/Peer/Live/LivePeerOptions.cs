using System.Net;
using P2psip.Messages;
using P2psip.Overlay;
using P2psip.Security;

namespace P2psip.Peer.Live;

/// <summary>What a <see cref="LivePeer"/> is made from: the overlay, who it is, where it listens and how it joins.</summary>
public sealed record LivePeerOptions
{
    public required OverlayConfiguration Configuration { get; init; }
    public required Identity Identity { get; init; }

    /// <summary>Where to listen; port 0 picks a free port.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    public LinkTransport Transport { get; init; } = LinkTransport.Tls;

    /// <summary>A peer to join through (§10.5); null for the first peer of the overlay.</summary>
    public IpAddressPort? Bootstrap { get; init; }

    public DefenceSwitches Defences { get; init; } = DefenceSwitches.AllOn;

    /// <summary>Overrides the configuration's overlay-reliability-timer (milliseconds) when set; tests shorten it.</summary>
    public int? ReliabilityTimerMillis { get; init; }

    /// <summary>Receives one line per event worth telling the operator (start-up, refusals).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>What the peer does at its persona hooks: honest by default; the harness's malicious peers lie (§ DESIGN 4).</summary>
    public IPeerBehaviour Behaviour { get; init; } = HonestBehaviour.Instance;
    /// <summary>
    /// What the peer's messages pass through between the peer and its links, or null for the links
    /// themselves: a persona's message layer (<c>P2psip.Adversary.Personas.LivePersona</c>) wraps
    /// them here, so a live persona is this same peer with rules at its message layer (issue 8).
    /// </summary>
    public Func<IPeerLinkLayer, IPeerLinkLayer>? WrapLinks { get; init; }
    /// <summary>TEST-ONLY (issue 12): a planted defect (<c>--inject-fault</c>); null in every real run.</summary>
    public InjectedFault? InjectedFault { get; init; }
}
