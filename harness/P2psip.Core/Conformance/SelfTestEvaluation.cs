namespace P2psip.Conformance;

/// <summary>A cell of the self-test matrix that does not hold, and why; null fields mean the whole row or column.</summary>
public sealed record SelfTestProblem(string? Disabled, string? CaseId, string Why);

/// <summary>Whether the self-test held, and every problem cell when it did not.</summary>
public sealed record SelfTestVerdict(IReadOnlyList<SelfTestProblem> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// The self-test's rule (issue 13): it passes when the all-on reference passes every case, every
/// defence makes at least one case that declares it fail, and no case fails unless a defence it
/// declares is off. Any other cell is a defect of the suite or of the peer, never allowlisted.
/// A harness error in any run is a problem too: that run proves nothing.
/// </summary>
public static class SelfTestEvaluation
{
    /// <summary>What the self-test counts as "the case failed": its oracle caught the SUT (fail), or the SUT died (crash).</summary>
    public static bool IsFailure(Verdict verdict) => verdict is Verdict.Fail or Verdict.Crash;

    public static SelfTestVerdict Evaluate(SelfTestResult result)
    {
        var problems = new List<SelfTestProblem>();
        var reference = result.Reference;
        if (reference is null)
        {
            problems.Add(new(null, null, "no all-on reference run"));
        }
        else
        {
            foreach (var c in reference.Report.Cases.Where(c => !c.Result.Verdict.IsSuccess()))
                problems.Add(new(null, c.Case.Id, $"all-on reference: case {c.Case.Id} was {c.Result.Verdict.Word()}: {c.Result.Reason}"));
        }

        foreach (var defence in result.Defences)
        {
            var variants = result.Variants.Where(v => v.Disabled == defence).ToList();
            if (variants.Count == 0)
            {
                problems.Add(new(defence, null, $"defence {defence} was not switched off in any run"));
                continue;
            }
            if (variants.Count > 1)
                problems.Add(new(defence, null, $"defence {defence} was switched off in {variants.Count} runs; the matrix needs one"));
            var declaring = result.Cases.Where(c => c.Detects.Contains(defence)).Select(c => c.Id).ToList();
            var caught = variants[0].Report.Cases.Any(c => c.Case.Detects.Contains(defence) && IsFailure(c.Result.Verdict));
            if (declaring.Count == 0)
                problems.Add(new(defence, null, $"defence {defence}: no case declares it"));
            else if (!caught)
                problems.Add(new(defence, null, $"defence {defence} made no declaring case fail (declaring: {string.Join(", ", declaring)})"));
        }

        foreach (var variant in result.Variants.Where(v => v.Disabled is not null))
        {
            var defence = variant.Disabled!;
            if (!result.Defences.Contains(defence))
                problems.Add(new(defence, null, $"defence {defence} is not one the self-test switches off"));
            foreach (var c in variant.Report.Cases)
            {
                if (IsFailure(c.Result.Verdict) && !c.Case.Detects.Contains(defence))
                    problems.Add(new(defence, c.Case.Id, $"case {c.Case.Id} {c.Result.Verdict.Word()} with {defence} off but does not declare {defence}: {c.Result.Reason}"));
                else if (c.Result.Verdict == Verdict.Error)
                    problems.Add(new(defence, c.Case.Id, $"case {c.Case.Id} was a harness error with {defence} off: {c.Result.Reason}"));
            }
            if (reference is not null)
            {
                var missing = reference.Report.Cases.Select(c => c.Case.Id).Except(variant.Report.Cases.Select(c => c.Case.Id)).ToList();
                if (missing.Count > 0)
                    problems.Add(new(defence, null, $"with {defence} off, cases of the reference run did not run: {string.Join(", ", missing)}"));
            }
        }
        return new SelfTestVerdict(problems);
    }
}
