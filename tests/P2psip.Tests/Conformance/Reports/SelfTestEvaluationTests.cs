using P2psip.Conformance;
using static P2psip.Tests.Conformance.Reports.SelfTestSamples;

namespace P2psip.Tests.Conformance.Reports;

public class SelfTestEvaluationTests
{
    [Fact]
    public void A_matrix_in_which_each_defence_fails_only_its_declaring_cases_passes()
    {
        var verdict = SelfTestEvaluation.Evaluate(Holding());
        Assert.True(verdict.Passed, string.Join("\n", verdict.Problems.Select(p => p.Why)));
        Assert.Empty(verdict.Problems);
    }

    [Fact]
    public void Failed_lists_fail_and_crash_only()
    {
        var variant = new SelfTestVariant("access-control", Run((Acl, Verdict.Fail), (Acl2, Verdict.Crash), (Tls, Verdict.Inconclusive), (Basic, Verdict.Error)));
        Assert.Equal(["TR-2b-01", "TR-2c-01"], variant.Failed);
    }

    [Theory]
    [InlineData(Verdict.Fail)]
    [InlineData(Verdict.Crash)]
    [InlineData(Verdict.Inconclusive)]
    [InlineData(Verdict.Error)]
    public void The_all_on_reference_must_pass_every_case(Verdict verdict)
    {
        var result = Holding() with { Variants = [new SelfTestVariant(null, Run((Basic, verdict))), .. Holding().Variants.Skip(1)] };
        var problem = Assert.Single(SelfTestEvaluation.Evaluate(result).Problems);
        Assert.Null(problem.Disabled);
        Assert.Equal("PC-1-01", problem.CaseId);
        Assert.StartsWith($"all-on reference: case PC-1-01 was {verdict.Word()}", problem.Why);
    }

    [Theory]
    [InlineData(Verdict.PassLenient)]
    [InlineData(Verdict.NotApplicable)]
    public void Lenient_and_not_applicable_count_as_passing_in_the_reference(Verdict verdict)
    {
        var result = Holding() with { Variants = [new SelfTestVariant(null, Run((Basic, verdict))), .. Holding().Variants.Skip(1)] };
        Assert.True(SelfTestEvaluation.Evaluate(result).Passed);
    }

    [Fact]
    public void A_defence_that_makes_no_declaring_case_fail_is_a_problem_row()
    {
        var result = Result(
            new SelfTestVariant(null, Run()),
            new SelfTestVariant("tls-only", Run((Tls, Verdict.Inconclusive))),
            new SelfTestVariant("access-control", Run((Acl, Verdict.Fail))));
        var problem = Assert.Single(SelfTestEvaluation.Evaluate(result).Problems);
        Assert.Equal("tls-only", problem.Disabled);
        Assert.Null(problem.CaseId);
        Assert.Equal("defence tls-only made no declaring case fail (declaring: TR-1a-01)", problem.Why);
    }

    [Fact]
    public void A_case_failing_with_a_defence_off_that_it_does_not_declare_is_a_problem_cell()
    {
        var result = Result(
            new SelfTestVariant(null, Run()),
            new SelfTestVariant("tls-only", Run((Tls, Verdict.Fail), (Acl2, Verdict.Fail))),
            new SelfTestVariant("access-control", Run((Acl, Verdict.Fail))));
        var problem = Assert.Single(SelfTestEvaluation.Evaluate(result).Problems);
        Assert.Equal(("tls-only", "TR-2c-01"), (problem.Disabled, problem.CaseId));
        Assert.StartsWith("case TR-2c-01 fail with tls-only off but does not declare tls-only", problem.Why);
    }

    [Fact]
    public void Missing_runs_and_a_defence_no_case_declares_are_problems()
    {
        var noReference = Result(Holding().Variants.Skip(1).ToArray());
        Assert.Contains(SelfTestEvaluation.Evaluate(noReference).Problems, p => p.Why == "no all-on reference run");

        var notRun = Result(Holding().Variants.Take(2).ToArray());
        Assert.Contains(SelfTestEvaluation.Evaluate(notRun).Problems, p => p.Disabled == "access-control" && p.Why.Contains("not switched off in any run"));

        var undeclared = Holding() with { Defences = [.. Defences, "quotas"], Variants = [.. Holding().Variants, new SelfTestVariant("quotas", Run())] };
        var problem = Assert.Single(SelfTestEvaluation.Evaluate(undeclared).Problems);
        Assert.Equal("defence quotas: no case declares it", problem.Why);
    }

    [Fact]
    public void A_harness_error_in_a_variant_or_a_case_missing_from_it_is_a_problem()
    {
        var error = Result(
            new SelfTestVariant(null, Run()),
            new SelfTestVariant("tls-only", Run((Tls, Verdict.Fail), (Basic, Verdict.Error))),
            Holding().Variants[2]);
        var problem = Assert.Single(SelfTestEvaluation.Evaluate(error).Problems);
        Assert.Equal(("tls-only", "PC-1-01"), (problem.Disabled, problem.CaseId));

        var shorter = SyntheticReport.Every([SyntheticReport.Result(Tls, Verdict.Fail, "caught", 0)]);
        var missing = Result(new SelfTestVariant(null, Run()), new SelfTestVariant("tls-only", shorter), Holding().Variants[2]);
        problem = Assert.Single(SelfTestEvaluation.Evaluate(missing).Problems);
        Assert.Equal("with tls-only off, cases of the reference run did not run: PC-1-01, TR-2b-01, TR-2c-01", problem.Why);
    }

    [Fact]
    public void Cases_are_listed_once_each_in_the_order_first_run()
    {
        Assert.Equal(["PC-1-01", "TR-1a-01", "TR-2b-01", "TR-2c-01"], Holding().Cases.Select(c => c.Id));
    }
}
