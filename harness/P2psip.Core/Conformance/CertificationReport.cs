namespace P2psip.Conformance;

/// <summary>
/// Everything one certification run concluded, as the report writers (report.json, junit.xml,
/// report.html, the console) and the self-test read it.
/// </summary>
public sealed record CertificationReport
{
    /// <summary>Bumped when report.json changes shape; the schema in schemas/ has the same number.</summary>
    public const int SchemaVersion = 1;

    public required ToolInfo Tool { get; init; }
    public required SutInfo Sut { get; init; }
    public required int Seed { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }

    /// <summary>Every case of the catalogue that was selected, in the order run, with its result.</summary>
    public required IReadOnlyList<CaseReport> Cases { get; init; }

    /// <summary>Notes about the run itself (SUT restarts, canary, expectations entries that matched no case).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public int Count(Verdict verdict) => Cases.Count(c => c.Result.Verdict == verdict);

    /// <summary>Per threat ID (primary and secondary), the worst verdict of its cases: the matrix cell's colour.</summary>
    public IReadOnlyDictionary<string, Verdict> ThreatSummary() => Cases
        .SelectMany(c => c.Case.Threats.Select(t => (Threat: t, c.Result.Verdict)))
        .GroupBy(x => x.Threat)
        .ToDictionary(g => g.Key, g => g.Select(x => x.Verdict).OrderBy(Severity).Last());

    /// <summary>Exit status of <c>p2psip certify</c> (issue 13): 0 all good, 1 fail or crash, 3 nothing failed but inconclusive or error.</summary>
    public int ExitCode
    {
        get
        {
            bool Unexpected(CaseReport c) => c.Result.Expected is not { } e || e.Verdict != c.Result.Verdict;
            if (Cases.Any(c => Unexpected(c) && c.Result.Verdict is Verdict.Fail or Verdict.Crash)) return 1;
            if (Cases.Any(c => c.Result.Expected is { } e && e.Verdict != c.Result.Verdict)) return 1;
            if (Cases.Any(c => Unexpected(c) && c.Result.Verdict is Verdict.Inconclusive or Verdict.Error)) return 3;
            return 0;
        }
    }

    /// <summary>How bad a verdict is, for summaries: fail and crash worst, pass best.</summary>
    public static int Severity(Verdict verdict) => verdict switch
    {
        Verdict.Pass => 0,
        Verdict.NotApplicable => 1,
        Verdict.PassLenient => 2,
        Verdict.Inconclusive => 3,
        Verdict.Error => 4,
        Verdict.Fail => 5,
        Verdict.Crash => 6,
        _ => 7,
    };
}

/// <summary>One case's metadata beside its result, and the command line that reruns it alone.</summary>
public sealed record CaseReport(ConformanceCase Case, CaseResult Result, string Rerun);

/// <summary>The tool that made the report.</summary>
public sealed record ToolInfo(string Name, string Version, string Commit);

/// <summary>What was certified.</summary>
public sealed record SutInfo(string Kind, string Description, string Address, string Transport, string? NodeId, IReadOnlyList<string>? DisabledDefences);
