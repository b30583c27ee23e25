namespace P2psip.Conformance;

/// <summary>
/// One run of the self-test (issue 13): the suite against the embedded reference with every
/// defence on (<see cref="SelfTestVariant.Disabled"/> null), then once per defence switched off
/// alone. <see cref="SelfTestEvaluation.Evaluate"/> decides whether it holds.
/// </summary>
public sealed record SelfTestResult
{
    /// <summary>The defences the self-test meant to switch off one at a time (DefenceSwitches.Catalogue's names).</summary>
    public required IReadOnlyList<string> Defences { get; init; }

    /// <summary>The runs, the all-on reference first, then one per defence in <see cref="Defences"/>' order.</summary>
    public required IReadOnlyList<SelfTestVariant> Variants { get; init; }

    /// <summary>The all-on run, or null when there was none.</summary>
    public SelfTestVariant? Reference => Variants.FirstOrDefault(v => v.Disabled is null);

    /// <summary>Every case that ran in any variant, once, in the order first run.</summary>
    public IReadOnlyList<ConformanceCase> Cases => Variants
        .SelectMany(v => v.Report.Cases.Select(c => c.Case))
        .DistinctBy(c => c.Id)
        .ToList();
}

/// <summary>One run of the suite with <see cref="Disabled"/> switched off (null: every defence on).</summary>
public sealed record SelfTestVariant(string? Disabled, CertificationReport Report)
{
    /// <summary>The IDs of the cases that failed or crashed, in the order run.</summary>
    public IReadOnlyList<string> Failed => Report.Cases
        .Where(c => SelfTestEvaluation.IsFailure(c.Result.Verdict))
        .Select(c => c.Case.Id)
        .ToList();
}
