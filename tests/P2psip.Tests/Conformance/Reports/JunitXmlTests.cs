using System.Text;
using System.Xml.Linq;
using P2psip.Conformance.Reports;
using Snapshooter.Xunit;

namespace P2psip.Tests.Conformance.Reports;

public class JunitXmlTests
{
    private static string Xml() => Encoding.UTF8.GetString(JunitXml.Render(SyntheticReport.Every()));

    private static Dictionary<string, XElement> CasesById(XDocument document) =>
        document.Descendants("testcase").ToDictionary(t => t.Attribute("name")!.Value.Split(' ')[0]);

    [Fact]
    public void Junit_xml_matches_the_snapshot() => Snapshot.Match(Xml());

    [Fact]
    public void Each_verdict_becomes_the_element_ci_systems_read()
    {
        var document = XDocument.Parse(Xml());
        var cases = CasesById(document);
        Assert.Equal(SyntheticReport.EveryVerdict().Count, cases.Count);

        string? Element(string id) => cases[id].Elements().Select(e => e.Name.LocalName).SingleOrDefault(n => n is "failure" or "error" or "skipped");
        Assert.Null(Element("PC-1-01"));          // pass
        Assert.Null(Element("TR-1a-01"));         // pass-lenient
        Assert.Equal("failure", Element("TR-2b-03")); // fail
        Assert.Equal("failure", Element("UN-5-01"));  // crash
        Assert.Equal("skipped", Element("UN-4-02"));  // inconclusive
        Assert.Equal("skipped", Element("TR-1a-02")); // not-applicable
        Assert.Equal("error", Element("PC-9-01"));    // error
        Assert.Equal("skipped", Element("TR-5-01"));  // fail, as the expectations file expected
        Assert.Equal("failure", Element("TR-4a-01")); // pass, but the expectations file said fail

        Assert.Equal("crash", cases["UN-5-01"].Element("failure")!.Attribute("type")!.Value);
        Assert.Contains("update or remove the entry", cases["TR-4a-01"].Element("failure")!.Attribute("message")!.Value);
        Assert.Equal("expectation-mismatch", cases["TR-4a-01"].Element("failure")!.Attribute("type")!.Value);
        Assert.Contains("expected fail", cases["TR-5-01"].Element("skipped")!.Attribute("message")!.Value);
    }

    [Fact]
    public void Testcases_name_their_threat_case_and_title_and_messages_carry_the_clause_and_reason()
    {
        var document = XDocument.Parse(Xml());
        var cases = CasesById(document);
        var fail = cases["TR-2b-03"];
        Assert.Equal("TR-2b", fail.Attribute("classname")!.Value);
        Assert.StartsWith("TR-2b-03 Store by a non-owner <script>alert('x')</script> & \"quoted\" \\u0001bell\\u0007 \\ud800 ]]>", fail.Attribute("name")!.Value);
        Assert.Equal("0.150", fail.Attribute("time")!.Value);
        var message = fail.Element("failure")!.Attribute("message")!.Value;
        Assert.Contains("RFC 6940 §6.3.2, §13.3 MUST", message);
        Assert.Contains("got store_ans, expected Error_Forbidden", message);
        var skipped = cases["UN-4-02"].Element("skipped")!.Attribute("message")!.Value;
        Assert.Contains("§6.3.2", skipped);
        Assert.Contains("precondition PC-10-01 did not pass", skipped);
        Assert.Contains("d2454c4f0001ff", fail.Element("system-out")!.Value);
        Assert.Contains("captures/TR-2b-03.pcap", fail.Element("system-out")!.Value);
    }

    [Fact]
    public void Suites_are_per_primary_threat_with_counts_that_add_up()
    {
        var document = XDocument.Parse(Xml());
        var root = document.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal("9", root.Attribute("tests")!.Value);
        Assert.Equal("3", root.Attribute("failures")!.Value);
        Assert.Equal("1", root.Attribute("errors")!.Value);
        Assert.Equal("3", root.Attribute("skipped")!.Value);
        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(["TR-1a", "TR-2b", "TR-4a", "TR-5", "UN-4", "UN-5", "PC-1", "PC-9"], suites.Select(s => s.Attribute("name")!.Value));
        Assert.All(suites, s => Assert.Equal(s.Elements("testcase").Count().ToString(), s.Attribute("tests")!.Value));
        Assert.All(suites.SelectMany(s => s.Elements("testcase")), t => Assert.Equal(t.Parent!.Attribute("name")!.Value, t.Attribute("classname")!.Value));
        Assert.Equal("1234", suites[0].Element("properties")!.Elements("property").Single(p => p.Attribute("name")!.Value == "seed").Attribute("value")!.Value);
    }
}
