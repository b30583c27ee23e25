using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using P2psip.Conformance.Reports;

namespace P2psip.Tests.Conformance.Reports;

public class HtmlReportTests
{
    private static string Html(bool selfTest = false)
    {
        var result = SelfTestSamples.Holding();
        return Encoding.UTF8.GetString(selfTest ? HtmlReport.Render(result.Reference!.Report, result) : HtmlReport.Render(SyntheticReport.Every()));
    }

    [Fact]
    public void Hostile_text_is_escaped_and_the_only_script_is_the_pages_own()
    {
        var html = Html();
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; \\u0001bell\\u0007 \\ud800 ]]&gt;", html);
        Assert.Single(Regex.Matches(html, "<script"));
        Assert.DoesNotContain('\u0001', html);
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        var html = Html(selfTest: true);
        Assert.DoesNotMatch(@"(src|href)\s*=\s*""(?!#)", html); // only in-page anchors
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", html);
    }

    [Fact]
    public void The_threat_matrix_has_every_threats_md_row_and_counts_per_verdict()
    {
        var html = Html();
        var rows = Regex.Matches(html, "<tr data-threat=\"([^\"]+)\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ThreatCatalogue.All.Select(t => t.Id), rows);
        Assert.Equal(28, rows.Count);
        // TR-1a: one pass-lenient, one not-applicable; its summary is the worse, pass-lenient.
        var tr1a = Regex.Match(html, "<tr data-threat=\"TR-1a\">.*?</tr>").Value;
        Assert.Contains("<td class=\"v-pass-lenient\">1</td>", tr1a);
        Assert.Contains("<td class=\"v-not-applicable\">1</td>", tr1a);
        Assert.EndsWith("<td class=\"v-pass-lenient\">pass-lenient</td></tr>", tr1a);
        Assert.Contains("<td class=\"none\">no case</td>", Regex.Match(html, "<tr data-threat=\"UN-1a\">.*?</tr>").Value);
    }

    [Fact]
    public void The_open_issues_name_their_threats_and_verdicts()
    {
        var html = Html();
        var table = Regex.Match(html, "<table id=\"open-issues\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Equal(5, Regex.Matches(table, "<tr><td>").Count);
        Assert.Contains("UN-4: inconclusive", table);
        Assert.Contains("TR-2b: fail", table);
        Assert.Contains("UN-1c: no case", table);
    }

    [Fact]
    public void The_self_test_matrix_has_a_row_per_defence_and_failed_cases_in_their_threat_column()
    {
        var html = Html(selfTest: true);
        var table = Regex.Match(html, "<table id=\"selftest-matrix\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Equal(["(all on)", "tls-only", "access-control"], Regex.Matches(table, "<tr data-defence=\"([^\"]+)\">").Select(m => m.Groups[1].Value));
        Assert.Contains("<td class=\"declared\"><a href=\"#case-TR-2b-01\">TR-2b-01</a></td>", table);
        Assert.Contains("The self-test passed", html);
    }

    [Fact]
    public void Problem_cells_are_red_including_a_case_that_did_not_pass_in_the_all_on_run()
    {
        var result = SelfTestSamples.Result(
            new P2psip.Conformance.SelfTestVariant(null, SelfTestSamples.Run((SelfTestSamples.Basic, P2psip.Conformance.Verdict.Inconclusive))),
            new P2psip.Conformance.SelfTestVariant("tls-only", SelfTestSamples.Run((SelfTestSamples.Tls, P2psip.Conformance.Verdict.Fail), (SelfTestSamples.Acl2, P2psip.Conformance.Verdict.Fail))),
            new P2psip.Conformance.SelfTestVariant("access-control", SelfTestSamples.Run()));
        var html = Encoding.UTF8.GetString(HtmlReport.Render(result.Reference!.Report, result));
        var table = Regex.Match(html, "<table id=\"selftest-matrix\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains("<td class=\"problem\"><a href=\"#case-PC-1-01\">PC-1-01</a></td>", table);
        Assert.Contains("<td class=\"problem\"><a href=\"#case-TR-2c-01\">TR-2c-01</a></td>", table);
        Assert.Contains("<td class=\"declared\"><a href=\"#case-TR-1a-01\">TR-1a-01</a></td>", table);
        Assert.Matches("<tr data-defence=\"access-control\"><th class=\"problem\" title=\"defence access-control made no declaring case fail", table);
        Assert.Contains("The self-test failed", html);
        Assert.Equal(3, Regex.Matches(html, "<li>").Count);
    }

    [Fact]
    public void Every_case_has_its_evidence_in_a_details_block_open_when_it_counts_against_the_run()
    {
        var html = Html();
        Assert.Equal(SyntheticReport.EveryVerdict().Count, Regex.Matches(html, "<details class=\"case\"").Count);
        Assert.Matches("<details class=\"case\" id=\"case-TR-2b-03\" open>", html);
        Assert.Matches("<details class=\"case\" id=\"case-PC-1-01\">", html);
        Assert.Contains("d2454c4f0001ff", html);
        Assert.Contains("captures/TR-2b-03.pcap", html);
        Assert.Contains("p2psip certify --case TR-2b-03 --seed 1234", html);
    }

    [Fact]
    public void Cases_are_grouped_under_their_primary_threat_in_threats_md_order()
    {
        var html = Html();
        var headings = Regex.Matches(html, "<h3 id=\"threat-([^\"]+)\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["TR-1a", "TR-2b", "TR-4a", "TR-5", "UN-4", "UN-5", "PC-1", "PC-9"], headings);
        // TR-1a-01 and TR-1a-02 ran apart (2nd and 6th) but sit together under TR-1a.
        var section = Regex.Match(html, "<h3 id=\"threat-TR-1a\">.*?<h3 ", RegexOptions.Singleline).Value;
        Assert.Contains("id=\"case-TR-1a-01\"", section);
        Assert.Contains("id=\"case-TR-1a-02\"", section);
    }

    [Fact]
    public void The_page_is_well_formed_enough_to_parse_as_xml_after_the_doctype()
    {
        // A cheap structure check beside the browser test: every element closed and nested.
        var html = Html(selfTest: true).Replace("<!DOCTYPE html>", "").Replace("<br>", "<br/>")
            .Replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\"/>")
            .Replace("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
            .Replace("&rarr;", "&#8594;").Replace("&larr;", "&#8592;")
            .Replace(" open>", " open=\"open\">");
        var document = XDocument.Parse(html);
        Assert.Equal("html", document.Root!.Name.LocalName);
    }
}
