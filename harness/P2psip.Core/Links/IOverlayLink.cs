using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Links;

/// <summary>
/// One overlay link (§6.6) to one neighbour, whatever carries it: whole RELOAD messages in, whole
/// messages out. The peer, the proxy and the simulator all talk through this.
/// </summary>
public interface IOverlayLink : IAsyncDisposable
{
    /// <summary>The overlay link protocol, e.g. TLS-TCP-FH-NO-ICE; insecure links say INSECURE in it.</summary>
    string Protocol { get; }
    /// <summary>False for plaintext links, which must be named insecure in every output.</summary>
    bool IsSecure { get; }
    /// <summary>The far end's Node-ID, read from its certificate (empty when the link has no certificates).</summary>
    Opaque PeerNodeId { get; }
    ReloadCertificate? PeerCertificate { get; }
    /// <summary>Sees (and may change or drop) every message sent or received from now on.</summary>
    LinkTap? Tap { get; set; }
    /// <summary>Sends one whole RELOAD message.</summary>
    Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancel = default);
    /// <summary>The next message received, or null once the link is closed.</summary>
    Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancel = default);
}
