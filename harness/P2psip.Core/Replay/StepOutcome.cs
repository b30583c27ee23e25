using P2psip.Adversary;

namespace P2psip.Replay;

/// <summary>
/// One step of a scenario run: what it expected, what the target did, and the fields that differ.
/// The verdicts are replay's: same (every expectation held), different, no answer (one was expected).
/// </summary>
public sealed record StepOutcome(int Index, ScenarioStep Step, ReplayVerdict Verdict, string Expected, string Observed, IReadOnlyList<string> DifferingFields)
{
    public string Name => Step.Name ?? $"step {Index}";

    public override string ToString()
    {
        var head = $"#{Index} {Name}" + (Step.From is { } from ? $" from {from}" : "") + ": ";
        return Verdict switch
        {
            ReplayVerdict.Same => head + $"same ({Observed})",
            ReplayVerdict.NoAnswer => head + $"no answer (expected {Expected}; {Observed})",
            _ => head + $"different: expected {Expected}, got {Observed}" + ReplayOutcome.FieldList(DifferingFields),
        };
    }
}

/// <summary>All outcomes of a scenario run, and the one-line summary.</summary>
public sealed record StepReport(IReadOnlyList<StepOutcome> Outcomes)
{
    public int Same => Outcomes.Count(o => o.Verdict == ReplayVerdict.Same);
    public int Different => Outcomes.Count(o => o.Verdict == ReplayVerdict.Different);
    public int NoAnswer => Outcomes.Count(o => o.Verdict == ReplayVerdict.NoAnswer);
    public bool AllSame => Same == Outcomes.Count;

    public string Summary => $"ran {Outcomes.Count} steps: {Same} same, {Different} different, {NoAnswer} no answer";
}
