using System.Net;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Wire;

namespace P2psip.Links.PeerLinks;

/// <summary>The peer's TLS-TCP-FH-NO-ICE link layer (§6.6.5): a <see cref="TlsLinkListener"/> and <see cref="TlsLinks.ConnectAsync"/>.</summary>
public sealed class TlsPeerLinkLayer : OverlayPeerLinkLayer
{
    private readonly TlsLinkListener _listener;

    /// <summary>Binds <paramref name="endpoint"/> now (port 0 picks a free port), so the address is known before the peer starts.</summary>
    public TlsPeerLinkLayer(IPEndPoint endpoint, LinkSecurity security) : base(security)
    {
        _listener = new TlsLinkListener(endpoint, security);
        LocalAddress = IpAddressPort.From(_listener.LocalEndpoint);
    }

    public override IpAddressPort LocalAddress { get; }
    public override byte LinkProtocol => OverlayLinkType.TlsTcpFhNoIce;

    protected override async Task<IOverlayLink> AcceptAsync(CancellationToken cancel) =>
        await _listener.AcceptAsync(cancel).ConfigureAwait(false);

    protected override async Task<IOverlayLink> ConnectAsync(IPEndPoint remote, Opaque? expectedNodeId, CancellationToken cancel) =>
        await TlsLinks.ConnectAsync(remote, Security, expectedNodeId, cancel: cancel).ConfigureAwait(false);

    protected override ValueTask StopListeningAsync() => _listener.DisposeAsync();
}
