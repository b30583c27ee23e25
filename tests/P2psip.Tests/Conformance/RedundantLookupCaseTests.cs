using P2psip.Conformance;
using P2psip.Conformance.Catalogue;
using P2psip.Conformance.Sut;
using P2psip.Peer;

namespace P2psip.Tests.Conformance;

/// <summary>
/// UN-2a-03 (issue 10 item 2): the reference's redundant lookup gets a registration from a replica
/// when the responsible peer drops the Fetch, and fails with the redundant-lookups defence off.
/// </summary>
[Trait("Category", "Live")]
public class RedundantLookupCaseTests
{
    [Theory]
    [InlineData(false, Verdict.Pass)]
    [InlineData(true, Verdict.Fail)]
    public async Task UN_2a_03_passes_with_redundant_lookups_and_fails_without(bool defenceOff, Verdict expected)
    {
        const int seed = 1010;
        var lab = CertificationLab.Create(seed);
        var defences = defenceOff ? DefenceSwitches.AllOn.Disable(DefenceSwitches.RedundantLookups) : DefenceSwitches.AllOn;
        await using var sut = new EmbeddedSut(lab, defences);
        var @case = SuiteCatalogue.Find("UN-2a-03")!;
        var report = await CertifyRuns.RunAsync(lab, sut, seed, [SuiteCatalogue.Find(PcCases.PingAnswered)!, @case]);
        var result = report.ById()["UN-2a-03"];
        Assert.True(result.Verdict == expected, $"{result.Verdict.Word()}: {result.Reason}");
    }
}
