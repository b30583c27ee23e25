namespace P2psip.Links.Dtls;

/// <summary>
/// Settings of DTLS-UDP-SR-NO-ICE's simple reliability (§6.6.3.1), with the RFC's defaults: a static
/// RTO of 500 ms doubled on each retransmission, 5 transmissions in all, and 10 ms between an ACK
/// and the next message.
/// </summary>
public sealed record DtlsLinkOptions
{
    public static DtlsLinkOptions Default { get; } = new();

    public TimeSpan Rto { get; init; } = TimeSpan.FromMilliseconds(500);
    public int MaxTransmissions { get; init; } = 5;
    public TimeSpan AckToNextMessage { get; init; } = TimeSpan.FromMilliseconds(10);
    public int HandshakeTimeoutMillis { get; init; } = 15_000;
    /// <summary>Inbox, max-message-size and accept-queue bounds (<see cref="LinkLimits"/>); the TLS handshake timeout there is not used (DTLS has <see cref="HandshakeTimeoutMillis"/>).</summary>
    public LinkLimits Limits { get; init; } = LinkLimits.Default;
    /// <summary>
    /// UDP sources a listener keeps state for at once (handshaking or linked); a datagram from a new
    /// source beyond this is dropped and counted, so a flood of spoofed sources costs no state.
    /// </summary>
    public int MaxSources { get; init; } = 256;
    /// <summary>Server handshakes (each a blocking task of up to <see cref="HandshakeTimeoutMillis"/>) at once; a new source beyond this is dropped and counted.</summary>
    public int MaxConcurrentHandshakes { get; init; } = 32;
    /// <summary>A datagram tap put on each new link's UDP transport before its handshake starts.</summary>
    public LinkTap? DatagramTap { get; init; }
}
