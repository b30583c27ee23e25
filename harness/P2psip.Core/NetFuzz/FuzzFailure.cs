using P2psip.Conformance.Running;

namespace P2psip.NetFuzz;

/// <summary>
/// A case after which the SUT failed the liveness probe, and what its rerun (after a restart) showed:
/// reproduced (alone or after a tail of the cases before it), or inconclusive (kept, never dropped: a flaky crash is still a crash).
/// </summary>
public sealed record FuzzFailure(FuzzCaseOutcome Outcome, LivenessResult? Rerun, string? RerunNote)
{
    /// <summary>The shrunk session that still fails, as run to confirm it; null when not minimised.</summary>
    public FuzzCaseOutcome? Minimised { get; init; }

    /// <summary>
    /// Minimisation, stage 1: the shortest run of cases just before this one that the SUT must see
    /// first for the failure to reproduce on a fresh SUT; empty when the case fails alone.
    /// </summary>
    public IReadOnlyList<FuzzCaseId> Tail { get; init; } = [];

    public FuzzCaseId Id => Outcome.Id;
    public bool Reproduced => Rerun is { IsAlive: false };
    public string Verdict => Reproduced ? "reproduced" : "inconclusive";
}
