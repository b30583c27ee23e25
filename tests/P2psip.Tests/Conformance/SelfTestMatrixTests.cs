using P2psip.Conformance;
using P2psip.Conformance.Catalogue;
using P2psip.Conformance.Running;
using P2psip.Peer;

namespace P2psip.Tests.Conformance;

/// <summary>Runs alone: its cases judge silence and rates, which a machine busy with other tests would blur.</summary>
[CollectionDefinition(nameof(SelfTestCollection), DisableParallelization = true)]
public sealed class SelfTestCollection;

/// <summary>
/// Issue 13's self-test, as CI runs it: the whole suite against the embedded reference with every
/// defence on, then with each switched off alone. It holds when the all-on reference passes every
/// case, every defence makes a case that declares it fail, and no case fails unless a defence it
/// declares is off (SelfTestEvaluation's rules).
/// </summary>
[Collection(nameof(SelfTestCollection))]
public sealed class SelfTestMatrixTests
{
    [Fact]
    [Trait("Category", TestCategory.Live)]
    [Trait("Category", TestCategory.Long)]
    public async Task Every_defence_makes_its_cases_fail_and_no_other()
    {
        var cases = SuiteCatalogue.All;
        var variants = await SelfTest.RunAsync(cases, new RunOptions { Seed = 20261201 }, _ => SilentRunObserver.Instance);
        var result = new SelfTestResult { Defences = DefenceSwitches.Catalogue.Select(d => d.Name).ToList(), Variants = variants };
        var verdict = SelfTestEvaluation.Evaluate(result);
        var matrix = string.Join("\n", variants.Select(v => $"{v.Disabled ?? "(all on)",-24} {string.Join(' ', v.Failed)}"));
        Assert.True(verdict.Passed, "self-test problems:\n" + string.Join("\n", verdict.Problems.Select(p => $"{p.Disabled ?? "all on"} / {p.CaseId ?? "-"}: {p.Why}")) + "\nmatrix:\n" + matrix);
        Assert.Equal(DefenceSwitches.Catalogue.Length + 1, variants.Count);
    }
}
