using P2psip.Conformance;
using P2psip.Conformance.Sut;
using P2psip.Peer;

namespace P2psip.Tests.Conformance;

/// <summary>
/// A reference peer with one defence switched off fails exactly the cases that declare that defence
/// (issue 13: the self-test matrix, one row): at least one of them, and nothing that does not declare it.
/// </summary>
[Trait("Category", "Live")]
[Trait("Category", "Long")]
public class DefenceOffTests
{
    [Theory]
    [InlineData(DefenceSwitches.AccessControl)]
    [InlineData(DefenceSwitches.Ttl)]
    public async Task A_peer_with_one_defence_off_fails_only_cases_that_declare_it(string defence)
    {
        const int seed = 1304;
        var lab = CertificationLab.Create(seed);
        await using var sut = new EmbeddedSut(lab, DefenceSwitches.AllOn.Disable(defence));
        var report = await CertifyRuns.RunAsync(lab, sut, seed);

        var failed = report.Cases.Where(c => c.Result.Verdict == Verdict.Fail).ToList();
        Assert.True(failed.Count > 0, $"no case failed with {defence} off:\n" + report.Describe(r => r.Verdict != Verdict.Pass));
        var undeclared = failed.Where(c => !c.Case.Detects.Contains(defence)).Select(c => c.Case.Id).ToList();
        Assert.True(undeclared.Count == 0, $"cases failed with {defence} off that do not declare it: {string.Join(", ", undeclared)}\n" + report.Describe(r => r.Verdict == Verdict.Fail));
        var other = report.Cases.Where(c => c.Result.Verdict is not Verdict.Fail && !c.Result.Verdict.IsSuccess()).ToList();
        Assert.True(other.Count == 0, "cases neither passed nor failed:\n" + report.Describe(r => r.Verdict is not Verdict.Fail && !r.Verdict.IsSuccess()));
        Assert.Equal([defence], report.Sut.DisabledDefences);
        Assert.Equal(1, report.ExitCode);
    }
}
