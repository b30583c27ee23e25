using P2psip.Conformance;
using P2psip.Conformance.Running;

namespace P2psip.Cli.Certify;

/// <summary>One line per case, for output that is not a terminal (CI logs, tests).</summary>
internal sealed class PlainRunObserver(TextWriter output) : IRunObserver
{
    public void RunStarted(int total, string sut, int seed) => output.WriteLine($"certify: {total} cases against {sut}, seed {seed}");
    public void CaseStarted(ConformanceCase @case, int index, int total) { }
    public void CaseFinished(ConformanceCase @case, CaseResult result, int index, int total)
    {
        output.WriteLine($"[{index + 1}/{total}] {@case.Id} {result.Verdict.Word()}: {result.Reason} ({result.Duration.TotalMilliseconds:0} ms)");
        if (!ShowEvidence) return;
        foreach (var m in result.Messages) output.WriteLine($"    {m.Time:HH:mm:ss.fff} {m.Party} {(m.Direction == EvidenceDirection.Sent ? "->" : "<-")} {m.Summary}");
        foreach (var note in result.Notes) output.WriteLine($"    note: {note}");
    }

    /// <summary>Print each case's messages and notes under its line (--evidence).</summary>
    public bool ShowEvidence { get; init; }
    public void Note(string line) => output.WriteLine($"certify: {line}");
}
