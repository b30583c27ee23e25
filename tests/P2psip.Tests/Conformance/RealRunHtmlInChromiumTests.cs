using System.Text.RegularExpressions;
using P2psip.Conformance;
using P2psip.Conformance.Catalogue;
using P2psip.Conformance.Reports;
using P2psip.Conformance.Sut;
using P2psip.Peer;
using P2psip.Tests.Conformance.Reports;

namespace P2psip.Tests.Conformance;

/// <summary>The HTML report of a real run (not synthetic data) opened in headless Chromium renders its matrix with no script error.</summary>
[Trait("Category", "External")]
[Trait("Category", "Live")]
public class RealRunHtmlInChromiumTests
{
    [Fact]
    public async Task A_real_runs_html_report_renders_the_matrix_with_no_script_error()
    {
        const int seed = 1308;
        var lab = CertificationLab.Create(seed);
        var cases = SuiteCatalogue.All.Where(c => c.Threat is "PC-10" or "TR-2a" or "TR-2b" or "TR-1b").ToList();
        CertificationReport report;
        await using (var sut = new EmbeddedSut(lab, DefenceSwitches.AllOn.Disable(DefenceSwitches.AccessControl)))
            report = await CertifyRuns.RunAsync(lab, sut, seed, cases);
        Assert.Contains(report.Cases, c => c.Result.Verdict == Verdict.Fail);
        Assert.Contains(report.Cases, c => c.Result.Verdict == Verdict.Pass);

        var directory = Path.Combine(Path.GetTempPath(), "p2psip-tests", "real-html-" + Guid.NewGuid().ToString("N"));
        ReportSet.Write(directory, report);
        var (dom, log) = HtmlReportInChromiumTests.Open(Path.Combine(directory, ReportSet.Html));
        Assert.DoesNotContain("Uncaught", log);
        Assert.Matches($"<html [^>]*{HtmlReport.ReadyAttribute}=\"{ThreatCatalogue.All.Count}\"", dom);
        Assert.Contains("<table id=\"threat-matrix\"", dom);
        Assert.Equal(ThreatCatalogue.All.Count, Regex.Matches(dom, "<tr data-threat=").Count);
        foreach (var c in report.Cases) Assert.Contains(c.Case.Id, dom);
    }
}
