namespace P2psip.Peer.Live;

/// <summary>
/// The overlay link protocol a live peer uses (§6.6): TLS-TCP-FH-NO-ICE or DTLS-UDP-SR-NO-ICE, or
/// INSECURE plaintext framed TCP, which only a peer with the tls-only defence switched off accepts.
/// </summary>
public enum LinkTransport
{
    Tls,
    Dtls,
    InsecureTcp,
}
