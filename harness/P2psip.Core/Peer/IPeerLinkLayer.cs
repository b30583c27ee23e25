using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Peer;

/// <summary>
/// What a peer needs from its link layer (§6.6, NO-ICE overlay links): an address others connect to
/// (the host candidate it puts in Attach, §6.5.1), accepting links and opening links to an address.
/// Links are authenticated before they are handed over.
/// </summary>
public interface IPeerLinkLayer
{
    /// <summary>The address this peer listens on (its Attach candidate).</summary>
    IpAddressPort LocalAddress { get; }

    /// <summary>The OverlayLinkType of its links (§6.6: TLS-TCP-FH-NO-ICE, DTLS-UDP-SR-NO-ICE, ...), which the Attach candidate names (§6.5.1.1).</summary>
    byte LinkProtocol { get; }

    /// <summary>Begins accepting links; each authenticated inbound link is passed to <paramref name="accepted"/>.</summary>
    void Listen(Action<IPeerLink> accepted);

    /// <summary>
    /// Opens a link to <paramref name="address"/>; <paramref name="done"/> gets the link, or null and
    /// a reason. With <paramref name="expectedNodeId"/> the link is refused unless the remote end
    /// authenticates as that Node-ID.
    /// </summary>
    void Connect(IpAddressPort address, Opaque? expectedNodeId, Action<IPeerLink?, string?> done);

    /// <summary>Stops listening and closes every link (a crash, or the end of a clean stop).</summary>
    void Shutdown();
}
