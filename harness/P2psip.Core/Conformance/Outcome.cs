namespace P2psip.Conformance;

/// <summary>
/// What a case's oracle returns: a verdict and its reason. The runner adds the evidence, the
/// duration, the liveness check and the rerun. Helpers keep oracles one line each.
/// </summary>
public readonly record struct Outcome(Verdict Verdict, string Reason)
{
    public static Outcome Pass(string reason) => new(Verdict.Pass, reason);
    public static Outcome Lenient(string reason) => new(Verdict.PassLenient, reason);
    public static Outcome Fail(string reason) => new(Verdict.Fail, reason);
    public static Outcome Inconclusive(string reason) => new(Verdict.Inconclusive, reason);
    public static Outcome NotApplicable(string reason) => new(Verdict.NotApplicable, reason);
}
