namespace P2psip.Links;

/// <summary>
/// The bounds of a link end, so a neighbour cannot grow this process's memory or tasks without
/// limit. At each bound the excess is dropped and counted (<see cref="LinkCounters"/>,
/// <see cref="ListenerCounters"/>), never queued.
/// </summary>
public sealed record LinkLimits
{
    public static LinkLimits Default { get; } = new();

    /// <summary>
    /// The overlay's max-message-size (§11.1; 5000 when the configuration has none): a DATA frame
    /// whose message is longer is refused by the framing layer before any of it is buffered.
    /// </summary>
    public int MaxMessageSize { get; init; } = 5000;

    /// <summary>Messages received and not yet taken by the link's owner; beyond this, new ones are dropped.</summary>
    public int InboxCapacity { get; init; } = 1024;

    /// <summary>How long a TLS handshake may take before the connection is closed (a client that never speaks must not hold a slot).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Server handshakes running at once; a connection beyond this is closed at once.</summary>
    public int MaxConcurrentHandshakes { get; init; } = 64;

    /// <summary>Links whose handshake finished and that nobody has accepted yet; beyond this, a new link is closed.</summary>
    public int AcceptQueueCapacity { get; init; } = 64;
}
