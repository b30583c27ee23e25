namespace P2psip.Peer.Simulation;

/// <summary>How to build and measure a simulated ring.</summary>
public sealed record SimulationOptions
{
    public int Peers { get; init; } = 100;
    public int Seed { get; init; }
    public int Lookups { get; init; } = 1000;

    /// <summary>
    /// Sign and verify every message with ECDSA P-256 identities issued by an in-process CA. Off by
    /// default: then messages go unsigned and the message-signatures defence is switched off, which
    /// is what makes rings of 10,000 peers affordable.
    /// </summary>
    public bool Signatures { get; init; }

    /// <summary>Further defences to switch off in every simulated peer.</summary>
    public IReadOnlyList<string> DisabledDefences { get; init; } = [];

    /// <summary>Finger refresh rounds (§10.7.4.2) after the last join, before the lookups.</summary>
    public int StabilizationRounds { get; init; } = 1;

    /// <summary>
    /// When given, the peers get the real storage engine and, after the Ping lookups, as many Fetch
    /// lookups in this mode are judged by what they return (<see cref="VerifiedLookups"/>).
    /// </summary>
    public Lookup.LookupMode? Lookup { get; init; }

    /// <summary>
    /// Place the peers with their tables computed and settle them by the protocol
    /// (<see cref="SimulatedRing.BuildInBulk"/>) instead of joining them one by one (the default).
    /// </summary>
    public bool BulkJoin { get; init; }
}
