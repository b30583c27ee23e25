using System.Net;
using P2psip.Messages;
using P2psip.Peer;
using P2psip.Wire;

namespace P2psip.Links.PeerLinks;

/// <summary>
/// A peer's link layer over real sockets (§6.6, NO-ICE): accepts authenticated links on one
/// address and opens links to others, refusing a link whose certificate does not carry the
/// expected Node-ID (§6.6.1). The TLS and DTLS layers differ only in how a link is accepted and
/// opened. <see cref="LinkOpened"/> sees every link before its first message, so a tap (capture,
/// the adversary) can be put on it.
/// </summary>
public abstract class OverlayPeerLinkLayer : IPeerLinkLayer
{
    private readonly HashSet<OverlayPeerLink> _links = [];
    private readonly CancellationTokenSource _stop = new();

    protected OverlayPeerLinkLayer(LinkSecurity security) => Security = security;

    public LinkSecurity Security { get; }
    public abstract IpAddressPort LocalAddress { get; }

    /// <summary>The OverlayLinkType this layer speaks (§6.6), named in Attach candidates.</summary>
    public abstract byte LinkProtocol { get; }

    /// <summary>Called with each link (inbound and outbound) before it carries a message.</summary>
    public Action<OverlayPeerLink>? LinkOpened { get; set; }

    /// <summary>The links open now.</summary>
    public IReadOnlyList<OverlayPeerLink> Links { get { lock (_links) return _links.ToList(); } }

    protected CancellationToken Stopping => _stop.Token;

    /// <summary>Accepts the next authenticated inbound link; throws <see cref="LinkRefusedException"/> for a refused one.</summary>
    protected abstract Task<IOverlayLink> AcceptAsync(CancellationToken cancel);

    /// <summary>Opens an authenticated link; throws <see cref="LinkRefusedException"/> when refused.</summary>
    protected abstract Task<IOverlayLink> ConnectAsync(IPEndPoint remote, Opaque? expectedNodeId, CancellationToken cancel);

    protected abstract ValueTask StopListeningAsync();

    public void Listen(Action<IPeerLink> accepted) => _ = Task.Run(() => AcceptLoop(accepted));

    private async Task AcceptLoop(Action<IPeerLink> accepted)
    {
        while (!_stop.IsCancellationRequested)
        {
            IOverlayLink link;
            try { link = await AcceptAsync(_stop.Token).ConfigureAwait(false); }
            catch (LinkRefusedException) { continue; } // logged by the link security; the next client may be fine
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException) { break; }
            catch (Exception e) when (e is IOException) { continue; }
            accepted(Track(link, null));
        }
    }

    public void Connect(IpAddressPort address, Opaque? expectedNodeId, Action<IPeerLink?, string?> done)
    {
        if (address.ToEndPoint() is not { } remote)
        {
            done(null, $"{address} is not an IP address");
            return;
        }
        _ = Task.Run(async () =>
        {
            IOverlayLink link;
            try { link = await ConnectAsync(remote, expectedNodeId, _stop.Token).ConfigureAwait(false); }
            catch (LinkRefusedException e) { done(null, e.Message); return; }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or System.Net.Sockets.SocketException)
            {
                done(null, $"cannot connect to {remote}: {e.Message}");
                return;
            }
            if (_stop.IsCancellationRequested)
            {
                await link.DisposeAsync().ConfigureAwait(false);
                done(null, "link layer shut down");
                return;
            }
            done(Track(link, address), null);
        });
    }

    private OverlayPeerLink Track(IOverlayLink link, IpAddressPort? remote)
    {
        var peerLink = new OverlayPeerLink(link, remote);
        peerLink.Closed += l => { lock (_links) _links.Remove(l); };
        lock (_links) _links.Add(peerLink);
        LinkOpened?.Invoke(peerLink);
        return peerLink;
    }

    public void Shutdown()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try { StopListeningAsync().AsTask().Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        foreach (var link in Links) link.Close();
    }
}
