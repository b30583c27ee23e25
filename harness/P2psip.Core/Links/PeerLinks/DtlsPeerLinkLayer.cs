using System.Net;
using P2psip.Links.Dtls;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Wire;

namespace P2psip.Links.PeerLinks;

/// <summary>The peer's DTLS-UDP-SR-NO-ICE link layer (§6.6.4): a <see cref="DtlsLinkListener"/> and <see cref="DtlsLinks.ConnectAsync"/>.</summary>
public sealed class DtlsPeerLinkLayer : OverlayPeerLinkLayer
{
    private readonly DtlsLinkListener _listener;
    private readonly DtlsLinkOptions? _options;

    /// <summary>Binds <paramref name="endpoint"/> now (port 0 picks a free port).</summary>
    public DtlsPeerLinkLayer(IPEndPoint endpoint, LinkSecurity security, DtlsLinkOptions? options = null) : base(security)
    {
        _options = options;
        _listener = new DtlsLinkListener(endpoint, security, options);
        LocalAddress = IpAddressPort.From(_listener.LocalEndpoint);
    }

    public override IpAddressPort LocalAddress { get; }
    public override byte LinkProtocol => OverlayLinkType.DtlsUdpSrNoIce;

    protected override async Task<IOverlayLink> AcceptAsync(CancellationToken cancel) =>
        await _listener.AcceptAsync(cancel).ConfigureAwait(false);

    protected override async Task<IOverlayLink> ConnectAsync(IPEndPoint remote, Opaque? expectedNodeId, CancellationToken cancel) =>
        await DtlsLinks.ConnectAsync(remote, Security, expectedNodeId, _options, cancel).ConfigureAwait(false);

    protected override ValueTask StopListeningAsync() => _listener.DisposeAsync();
}
