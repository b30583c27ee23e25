namespace P2psip.Conformance;

/// <summary>
/// One test case of the suite, as data beside a small oracle (TLS-Anvil's style): a stable ID, what
/// it checks and where the rule comes from, which defences of the reference it detects, how it is
/// set up, what it sends, what it observes, and the code that does it. Every field but
/// <see cref="Run"/> goes into the reports as it is.
/// </summary>
public sealed record ConformanceCase
{
    /// <summary>Stable and readable: the threat ID, then a two-digit number (<c>TR-2b-03</c>, <c>PC-1-02</c>).</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>THREATS.md IDs (TR-*, UN-*, PC-*); the first is the case's primary threat.</summary>
    public required IReadOnlyList<string> Threats { get; init; }

    /// <summary>RFC 6940 clauses, e.g. "6.3.2".</summary>
    public required IReadOnlyList<string> Rfc { get; init; }

    public Requirement Requirement { get; init; } = Requirement.Must;

    /// <summary>Names of the reference peer's DefenceSwitches whose absence this case must detect.</summary>
    public IReadOnlyList<string> Detects { get; init; } = [];

    /// <summary>Which harness parties are where.</summary>
    public required string Setup { get; init; }

    /// <summary>What the harness sends or does.</summary>
    public required string Stimulus { get; init; }

    /// <summary>What passes, in words.</summary>
    public required string Oracle { get; init; }

    /// <summary>IDs of cases that must pass (or pass leniently) first; otherwise this one is inconclusive.</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>The case makes the SUT originate a request (<see cref="Sut.ISutDriver"/>); not applicable to SUTs without a driver.</summary>
    public bool NeedsDriver { get; init; }

    /// <summary>Transports the case applies to; empty means every transport.</summary>
    public IReadOnlyList<SutTransport> Transports { get; init; } = [];

    /// <summary>The stimulus and the oracle. Throws only when the harness breaks (reported as <see cref="Verdict.Error"/>).</summary>
    public required Func<CaseContext, Task<Outcome>> Run { get; init; }

    /// <summary>The primary threat ID, the matrix row and JUnit classname.</summary>
    public string Threat => Threats[0];

    public override string ToString() => $"{Id} {Title}";
}
