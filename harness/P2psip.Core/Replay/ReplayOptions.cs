using P2psip.Adversary;

namespace P2psip.Replay;

/// <summary>How a capture is replayed.</summary>
public sealed record ReplayOptions
{
    public ReplayRewrites Rewrites { get; init; } = ReplayRewrites.All;

    /// <summary>Captured gaps between requests are divided by this (2: twice as fast).</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Send each request as soon as the previous one is answered, ignoring captured timing.</summary>
    public bool AsFastAsPossible { get; init; }

    /// <summary>How long to wait for each answer.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The seed of the new transaction ids.</summary>
    public int Seed { get; init; } = 1;
}
