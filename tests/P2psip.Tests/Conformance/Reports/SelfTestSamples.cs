using P2psip.Conformance;

namespace P2psip.Tests.Conformance.Reports;

/// <summary>
/// A small self-test: three cases over two defences. <see cref="Holding"/> is a matrix that holds;
/// the tests break one rule at a time from it.
/// </summary>
internal static class SelfTestSamples
{
    public static readonly ConformanceCase Tls = SyntheticReport.Case("TR-1a-01", "TR-1a", ["tls-only"]);
    public static readonly ConformanceCase Acl = SyntheticReport.Case("TR-2b-01", "TR-2b", ["access-control"], ["TR-2c"]);
    public static readonly ConformanceCase Acl2 = SyntheticReport.Case("TR-2c-01", "TR-2c", ["access-control"]);
    public static readonly ConformanceCase Basic = SyntheticReport.Case("PC-1-01", "PC-1");

    public static readonly string[] Defences = ["tls-only", "access-control"];

    /// <summary>A run in which the named cases got the given verdicts and every other case passed.</summary>
    public static CertificationReport Run(params (ConformanceCase Case, Verdict Verdict)[] verdicts)
    {
        var all = new[] { Basic, Tls, Acl, Acl2 };
        var cases = all.Select((c, i) => SyntheticReport.Result(c, verdicts.FirstOrDefault(v => v.Case == c).Case is null ? Verdict.Pass : verdicts.First(v => v.Case == c).Verdict, "synthetic", i)).ToList();
        return SyntheticReport.Every(cases);
    }

    public static SelfTestResult Result(params SelfTestVariant[] variants) => new() { Defences = Defences, Variants = variants };

    public static SelfTestResult Holding() => Result(
        new SelfTestVariant(null, Run()),
        new SelfTestVariant("tls-only", Run((Tls, Verdict.Fail))),
        new SelfTestVariant("access-control", Run((Acl, Verdict.Fail), (Acl2, Verdict.Crash))));
}
