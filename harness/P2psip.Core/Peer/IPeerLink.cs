using P2psip.Messages;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer;

/// <summary>
/// One authenticated overlay link as the peer sees it (§6.6): the remote Node-ID the link layer
/// authenticated (from the certificate's reload URI, §13.3), whole RELOAD messages out and in, and
/// close. The real TLS/DTLS links and the in-memory links of the simulator both fit this shape.
/// </summary>
public interface IPeerLink
{
    /// <summary>The Node-ID the remote end proved it owns when the link was set up.</summary>
    Opaque RemoteNodeId { get; }

    /// <summary>The remote end's certificate, or null where the link layer has none (the simulator's cheap mode).</summary>
    ReloadCertificate? RemoteCertificate { get; }

    /// <summary>Where the remote end can be reached, when known.</summary>
    IpAddressPort? RemoteAddress { get; }

    bool IsOpen { get; }

    /// <summary>
    /// Starts delivery: <paramref name="received"/> gets each whole message, <paramref name="closed"/>
    /// is called once when the remote end goes away. Called once, by the peer that owns the link.
    /// </summary>
    void Start(Action<IPeerLink, ReadOnlyMemory<byte>> received, Action<IPeerLink> closed);

    /// <summary>Queues one whole RELOAD message; silently dropped once the link is closed.</summary>
    void Send(ReadOnlyMemory<byte> message);

    /// <summary>
    /// <see cref="Send"/> for a buffer the caller hands over and never touches again (a fresh
    /// encoding): a link that keeps messages in memory may take it without a copy.
    /// </summary>
    void SendOwned(byte[] message) => Send(message);

    void Close();

    /// <summary>Closes after the messages already given to <see cref="Send"/> have gone out (links that send at once need nothing more).</summary>
    void CloseAfterQueued() => Close();
}
