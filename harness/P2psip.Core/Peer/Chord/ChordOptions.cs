namespace P2psip.Peer.Chord;

/// <summary>The CHORD-RELOAD parameters of a reference peer (§10.7, §10.7.4).</summary>
public sealed record ChordOptions
{
    /// <summary>Predecessors and successors kept each (§10.7: at least three).</summary>
    public int NeighborCount { get; init; } = 3;

    /// <summary>Finger Table size (§10.7.4.3: grow to 16).</summary>
    public int FingerCount { get; init; } = 16;

    /// <summary>chord-update-interval: periodic Updates to every neighbour (§10.7.4.1, default ten minutes).</summary>
    public TimeSpan UpdateInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>chord-ping-interval: finger refresh (§10.7.4.2, default an hour).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Whether stabilisation timers run at all (the simulator drives refreshes explicitly).</summary>
    public bool Stabilize { get; init; } = true;

    public static ChordOptions FromConfiguration(Overlay.OverlayConfiguration configuration) => new()
    {
        UpdateInterval = configuration.ChordUpdateInterval is int u and > 0 ? TimeSpan.FromSeconds(u) : TimeSpan.FromMinutes(10),
        PingInterval = configuration.ChordPingInterval is int p and > 0 ? TimeSpan.FromSeconds(p) : TimeSpan.FromHours(1),
    };
}
