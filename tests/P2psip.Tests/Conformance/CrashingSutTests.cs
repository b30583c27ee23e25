using P2psip.Conformance;
using P2psip.Messages;
using P2psip.Tests.Conformance.Doubles;

namespace P2psip.Tests.Conformance;

/// <summary>
/// A SUT that dies in the middle of a run (issue 13, "Running a case"): the case that killed it is a
/// crash with the SUT's last words in its evidence; a SUT the harness started is restarted and the
/// rest of the run goes on; one it cannot restart leaves the rest inconclusive, and the run ends.
/// </summary>
[Trait("Category", "Live")]
[Trait("Category", "Long")]
public class CrashingSutTests
{
    // PC-10-06 is the only case that sends a Stat; neither the liveness probe nor the canary does.
    private const string StatCase = "PC-10-06";

    [Fact]
    public async Task A_restartable_SUT_that_crashes_is_reported_restarted_and_the_later_cases_pass()
    {
        const int seed = 1305;
        var lab = CertificationLab.Create(seed);
        await using var sut = new CrashOnMessageSut(lab, MessageCodes.StatReq, restartable: true);
        var report = await CertifyRuns.RunAsync(lab, sut, seed);

        var byId = report.ById();
        var crashed = byId[StatCase];
        Assert.True(crashed.Verdict == Verdict.Crash, $"{StatCase}: {crashed.Verdict.Word()}: {crashed.Reason}");
        Assert.Contains("liveness probe", crashed.Reason);
        Assert.Contains(crashed.Messages, m => m.Direction == EvidenceDirection.Sent && ReloadCodec.DecodeCopy(m.Bytes).Value?.MessageCode == MessageCodes.StatReq);
        Assert.Contains(crashed.Notes, n => n.StartsWith("the SUT's last output:", StringComparison.Ordinal) && n.Contains("crashing", StringComparison.Ordinal));
        Assert.Equal(1, sut.Crashes);
        Assert.Equal(2, sut.Starts);
        Assert.Contains($"the SUT was restarted after {StatCase}", report.Notes);

        var order = report.Cases.Select(c => c.Case.Id).ToList();
        var later = report.Cases.Skip(order.IndexOf(StatCase) + 1).ToList();
        Assert.True(later.Count >= 10, $"only {later.Count} cases after {StatCase}");
        // Every other case passes; the one exception allowed is the runner's own word for a timing fluke
        // of the reference under load (a failure that did not reproduce on the automatic rerun, which passed).
        static bool Fluke(CaseResult r) => r.Verdict == Verdict.Inconclusive && r.Reason.StartsWith("failed once", StringComparison.Ordinal)
            && r.Reason.Contains("on an automatic rerun (pass", StringComparison.Ordinal);
        Assert.True(later.Count(c => c.Result.Verdict.IsSuccess()) >= later.Count - 1 && later.All(c => c.Result.Verdict.IsSuccess() || Fluke(c.Result)),
            "later cases that did not pass:\n" + report.Describe(r => !r.Verdict.IsSuccess() && r.CaseId != StatCase));
        Assert.True(report.Cases.Where(c => c.Case.Id != StatCase).All(c => c.Result.Verdict.IsSuccess() || Fluke(c.Result)), report.Describe(r => !r.Verdict.IsSuccess()));
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task An_external_SUT_that_dies_leaves_the_remaining_cases_inconclusive_and_the_run_ends()
    {
        const int seed = 1306;
        var lab = CertificationLab.Create(seed);
        await using var sut = new CrashOnMessageSut(lab, MessageCodes.StatReq, restartable: false);
        var report = await CertifyRuns.RunAsync(lab, sut, seed, deadline: TimeSpan.FromMinutes(4));

        var order = report.Cases.Select(c => c.Case.Id).ToList();
        int at = order.IndexOf(StatCase);
        Assert.True(at >= 0 && at < order.Count - 1, $"{StatCase} is not before the last case");
        Assert.Equal(Verdict.Crash, report.Cases[at].Result.Verdict);
        Assert.Equal(1, sut.Crashes);
        Assert.Equal(1, sut.Starts);
        var remaining = report.Cases.Skip(at + 1).ToList();
        Assert.All(remaining, c =>
        {
            Assert.Equal(Verdict.Inconclusive, c.Result.Verdict);
            Assert.Contains($"down since {StatCase}", c.Result.Reason);
        });
        Assert.Contains(report.Notes, n => n.Contains($"died in {StatCase}", StringComparison.Ordinal) && n.Contains("cannot be restarted", StringComparison.Ordinal));
        Assert.Equal(1, report.ExitCode);
    }
}
