using P2psip.Conformance;
using P2psip.Conformance.Catalogue;
using P2psip.Conformance.Running;
using P2psip.Conformance.Sut;

namespace P2psip.Tests.Conformance;

/// <summary>Runs the catalogue against a SUT for the certification tests, under a deadline so a hang fails the test.</summary>
internal static class CertifyRuns
{
    public static async Task<CertificationReport> RunAsync(CertificationLab lab, ISystemUnderTest sut, int seed,
        IReadOnlyList<ConformanceCase>? cases = null, CaseTimeouts? timeouts = null, TimeSpan? deadline = null)
    {
        using var cancel = new CancellationTokenSource(deadline ?? TimeSpan.FromMinutes(8));
        var runner = new CertificationRunner(lab, sut, new RunOptions
        {
            Seed = seed,
            Timeouts = timeouts ?? new CaseTimeouts(),
            RerunCommand = id => $"p2psip certify --case {id} --seed {seed}",
        });
        return await runner.RunAsync(cases ?? SuiteCatalogue.All, cancel.Token).WaitAsync(deadline ?? TimeSpan.FromMinutes(8));
    }

    public static Dictionary<string, CaseResult> ById(this CertificationReport report) =>
        report.Cases.ToDictionary(c => c.Case.Id, c => c.Result);

    /// <summary>"ID verdict: reason" lines of the cases that match, for assertion messages.</summary>
    public static string Describe(this CertificationReport report, Func<CaseResult, bool>? which = null) =>
        string.Join("\n", report.Cases.Where(c => which?.Invoke(c.Result) ?? true).Select(c => $"{c.Case.Id} {c.Result.Verdict.Word()}: {c.Result.Reason}"))
        + (report.Notes.Count > 0 ? "\nnotes: " + string.Join(" | ", report.Notes) : "");
}
