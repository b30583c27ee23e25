using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using P2psip.Conformance;
using P2psip.Conformance.Catalogue;
using P2psip.Conformance.Reports;
using P2psip.Conformance.Running;
using P2psip.Conformance.Sut;
using P2psip.Peer;

namespace P2psip.Tests.Conformance.Reports;

/// <summary>
/// The writers on a real run, not only on synthetic data: a few cases of the catalogue against the
/// embedded reference with access-control off (so one of them fails, with real evidence), written
/// with <see cref="ReportSet"/>; report.json must validate against the schema and junit.xml parse.
/// </summary>
public class RealRunReportTests
{
    [Fact]
    public async Task A_real_runs_reports_validate_and_carry_its_evidence()
    {
        const int seed = 20261201;
        var cases = new[] { PcCases.PingAnswered, "TR-2b-01" }.Select(id => SuiteCatalogue.Find(id)!).ToList();
        var lab = CertificationLab.Create(seed);
        await using var sut = new EmbeddedSut(lab, DefenceSwitches.AllOn.Disable(DefenceSwitches.AccessControl));
        var report = await new CertificationRunner(lab, sut, new RunOptions { Seed = seed, RerunCommand = id => $"p2psip certify --case {id} --seed {seed} --disable access-control" })
            .RunAsync(cases);

        var directory = Path.Combine(Path.GetTempPath(), "p2psip-tests", "real-run-" + Guid.NewGuid().ToString("N"));
        ReportSet.Write(directory, report);

        var json = File.ReadAllText(Path.Combine(directory, ReportSet.Json));
        Assert.Empty(SchemaValidation.Errors(SchemaValidation.Load("report.schema.json"), json));
        using var document = JsonDocument.Parse(json);
        var byId = document.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal("pass", byId[PcCases.PingAnswered].GetProperty("verdict").GetString());
        var acl = byId["TR-2b-01"];
        Assert.Equal("fail", acl.GetProperty("verdict").GetString());
        Assert.Contains("access-control", acl.GetProperty("detects").EnumerateArray().Select(e => e.GetString()));
        var messages = acl.GetProperty("evidence").GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains(messages, m => m.GetProperty("direction").GetString() == "sent");
        Assert.Contains(messages, m => m.GetProperty("direction").GetString() == "received");
        Assert.All(messages, m => Assert.Equal(m.GetProperty("length").GetInt32() * 2, m.GetProperty("hex").GetString()!.Length));
        Assert.Equal(new[] { "access-control" }, document.RootElement.GetProperty("sut").GetProperty("disabled_defences").EnumerateArray().Select(e => e.GetString()));

        var junit = XDocument.Parse(Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, ReportSet.Junit))));
        var failure = junit.Descendants("testcase").Single(t => t.Attribute("name")!.Value.StartsWith("TR-2b-01 ")).Element("failure");
        Assert.NotNull(failure);
        Assert.Contains("§7.3", failure.Attribute("message")!.Value);
        Assert.Contains("<table id=\"threat-matrix\"", File.ReadAllText(Path.Combine(directory, ReportSet.Html)));
    }
}
