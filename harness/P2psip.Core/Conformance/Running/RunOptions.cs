namespace P2psip.Conformance.Running;

/// <summary>How a certification run goes: its seed, deadlines, known deviations and how to name a rerun.</summary>
public sealed record RunOptions
{
    public int Seed { get; init; }
    public CaseTimeouts Timeouts { get; init; } = new();

    /// <summary>Case ID → the verdict expected for a known deviation (the <c>--expect</c> file).</summary>
    public IReadOnlyDictionary<string, Expectation> Expectations { get; init; } = new Dictionary<string, Expectation>();

    /// <summary>The command line that reruns one case alone, given its ID (the CLI fills in its own options).</summary>
    public Func<string, string> RerunCommand { get; init; } = id => $"p2psip certify --case {id}";

    /// <summary>Rerun a failed case once to check it reproduces; one that does not is inconclusive.</summary>
    public bool RerunFailures { get; init; } = true;

    public ToolInfo Tool { get; init; } = new("p2psip", "0.0.0", "unknown");

    /// <summary>Where each case's capture goes (<c>ID.pcap</c>, decrypted, every harness link of the case); null for none.</summary>
    public string? CaptureDirectory { get; init; }
}
