namespace P2psip.Conformance;

/// <summary>The verdict of one case, why, and what was sent and received to reach it.</summary>
public sealed record CaseResult
{
    public required string CaseId { get; init; }
    public required Verdict Verdict { get; init; }

    /// <summary>Why, in words a vendor can act on (what was expected, what came back).</summary>
    public required string Reason { get; init; }

    public TimeSpan Duration { get; init; }
    public IReadOnlyList<EvidenceMessage> Messages { get; init; } = [];

    /// <summary>Notes the case or the runner added (handshake refusals, liveness, reruns).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The path of the case's capture, relative to the report, when one was written.</summary>
    public string? Capture { get; init; }

    /// <summary>Set when an expectations file named this case: the verdict it expected, and why.</summary>
    public Expectation? Expected { get; init; }
}

/// <summary>An entry of the expectations file: a known deviation of the SUT.</summary>
public sealed record Expectation(Verdict Verdict, string Why);
