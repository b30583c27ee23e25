using System.Net;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Wire;

namespace P2psip.Links.PeerLinks;

/// <summary>
/// An INSECURE link layer: framed RELOAD over plain TCP (<see cref="PlaintextLinks.FramedProtocol"/>),
/// the vulnerable variant of the tls-only defence (§6.6, TR-1a). Nothing authenticates the remote
/// end, so an outbound link takes the Node-ID it was asked for and an inbound one a random Node-ID.
/// </summary>
public sealed class PlaintextPeerLinkLayer : OverlayPeerLinkLayer
{
    private readonly PlaintextLinkListener _listener;
    private readonly int _nodeIdLength;

    /// <summary>Binds <paramref name="endpoint"/> now (port 0 picks a free port).</summary>
    public PlaintextPeerLinkLayer(IPEndPoint endpoint, LinkSecurity security, int nodeIdLength) : base(security)
    {
        _nodeIdLength = nodeIdLength;
        _listener = new PlaintextLinkListener(endpoint, framed: true);
        LocalAddress = IpAddressPort.From(_listener.LocalEndpoint);
    }

    public override IpAddressPort LocalAddress { get; }

    /// <summary>No OverlayLinkType names plaintext framed TCP: EXP-LINK, the experimental one (§14.10), never a TLS one.</summary>
    public override byte LinkProtocol => OverlayLinkType.ExpLink;

    protected override async Task<IOverlayLink> AcceptAsync(CancellationToken cancel)
    {
        var link = await _listener.AcceptInsecureAsync(cancel).ConfigureAwait(false);
        link.PeerNodeId = System.Security.Cryptography.RandomNumberGenerator.GetBytes(_nodeIdLength);
        return link;
    }

    protected override async Task<IOverlayLink> ConnectAsync(IPEndPoint remote, Opaque? expectedNodeId, CancellationToken cancel)
    {
        var link = await PlaintextLinks.ConnectInsecureAsync(remote, framed: true, cancel: cancel).ConfigureAwait(false);
        link.PeerNodeId = expectedNodeId ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(_nodeIdLength);
        return link;
    }

    protected override ValueTask StopListeningAsync() => _listener.DisposeAsync();
}
