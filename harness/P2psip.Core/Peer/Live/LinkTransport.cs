namespace P2psip.Peer.Live;

/// <summary>The overlay link protocol a live peer uses (§6.6): TLS-TCP-FH-NO-ICE or DTLS-UDP-SR-NO-ICE.</summary>
public enum LinkTransport
{
    Tls,
    Dtls,
}
