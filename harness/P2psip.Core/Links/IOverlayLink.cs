using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Links;

/// <summary>
/// One overlay link (§6.6) to one neighbour, whatever carries it: whole RELOAD messages in, whole
/// messages out, through the link's <see cref="Pipeline"/> of handlers. No message enters the pipeline
/// before <see cref="Start"/> (or the first send or receive; stream links do not read until then, DTLS
/// links ACK and hold what comes), so handlers put on it first see every message.
/// The peer, the proxy and the simulator all talk through this.
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
    /// <summary>Both ends' addresses and Node-IDs, the protocol and which end opened the link.</summary>
    LinkInfo Info { get; }
    /// <summary>The handlers every message in each direction passes (capture, the adversary, certificate learning).</summary>
    LinkPipeline Pipeline { get; }
    /// <summary>
    /// The old single hook, kept as one <see cref="TapHandler"/> in the pipeline: setting it puts the
    /// tap at the wire end (or in the previous tap's place), null takes it out.
    /// </summary>
    LinkTap? Tap { get; set; }
    /// <summary>Begins reading from the wire; idempotent. Attach handlers before.</summary>
    void Start();
    /// <summary>Sends one whole RELOAD message (starting the link if it was not).</summary>
    Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancel = default);
    /// <summary>The next message received, or null once the link is closed (starting the link if it was not).</summary>
    Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancel = default);
}
