using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2psip.Conformance;
using P2psip.Conformance.Reports;
using Snapshooter.Xunit;

namespace P2psip.Tests.Conformance.Reports;

public class ReportJsonTests
{
    private static string Json(CertificationReport? report = null) => Encoding.UTF8.GetString(ReportJson.Render(report ?? SyntheticReport.Every()));

    [Fact]
    public void The_synthetic_report_covers_every_verdict()
    {
        var report = SyntheticReport.Every();
        Assert.All(VerdictNames.All, v => Assert.True(report.Count(v) > 0, $"no {v.Word()} case"));
    }

    [Fact]
    public void A_report_with_every_verdict_validates_against_the_schema()
    {
        var errors = SchemaValidation.Errors(SchemaValidation.Load("report.schema.json"), Json());
        Assert.Empty(errors);
    }

    [Fact]
    public void An_empty_run_validates_against_the_schema()
    {
        var errors = SchemaValidation.Errors(SchemaValidation.Load("report.schema.json"), Json(SyntheticReport.Every([])));
        Assert.Empty(errors);
    }

    public static TheoryData<string> Breakages() => new()
    {
        "verdict missing",
        "verdict not a word",
        "hex upper case",
        "counts without error",
        "start not a date-time",
        "unknown field",
        "threat ID malformed",
        "schema version 2",
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_broken_report_does_not_validate(string breakage)
    {
        var broken = SchemaValidation.Mutate(Json(), root =>
        {
            var first = root["cases"]![0]!.AsObject();
            switch (breakage)
            {
                case "verdict missing": first.Remove("verdict"); break;
                case "verdict not a word": first["verdict"] = "passed"; break;
                case "hex upper case": first["evidence"]!["messages"]![0]!["hex"] = "D2454C4F"; break;
                case "counts without error": root["counts"]!.AsObject().Remove("error"); break;
                case "start not a date-time": root["start"] = "yesterday"; break;
                case "unknown field": first["colour"] = "red"; break;
                case "threat ID malformed": first["threats"]![0] = "threat one"; break;
                case "schema version 2": root["schema_version"] = 2; break;
            }
        });
        Assert.NotEmpty(SchemaValidation.Errors(SchemaValidation.Load("report.schema.json"), broken));
    }

    [Fact]
    public void Report_json_matches_the_snapshot() => Snapshot.Match(Json());

    [Fact]
    public void Counts_threat_summaries_expectations_and_evidence_are_as_the_report_says()
    {
        using var json = JsonDocument.Parse(Json());
        var root = json.RootElement;
        Assert.Equal(CertificationReport.SchemaVersion, root.GetProperty("schema_version").GetInt32());
        Assert.Equal(1234, root.GetProperty("seed").GetInt32());
        Assert.Equal("2026-11-30T12:00:00.0000000Z", root.GetProperty("start").GetString());
        Assert.Equal(3500, root.GetProperty("duration_ms").GetDouble());
        Assert.Equal(1, root.GetProperty("exit_code").GetInt32());
        var counts = root.GetProperty("counts");
        Assert.Equal(2, counts.GetProperty("pass").GetInt32());
        Assert.Equal(2, counts.GetProperty("fail").GetInt32());
        Assert.Equal(1, counts.GetProperty("error").GetInt32());

        var threats = root.GetProperty("threats").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!, t => t);
        Assert.Equal("fail", threats["TR-2b"].GetProperty("verdict").GetString());
        Assert.Equal("fail", threats["UN-3"].GetProperty("verdict").GetString()); // a secondary threat counts too
        Assert.Equal("pass-lenient", threats["TR-1a"].GetProperty("verdict").GetString()); // worse than not-applicable
        Assert.Equal(2, threats["TR-1a"].GetProperty("cases").GetInt32());
        Assert.Equal(["TR-1a", "TR-2b", "TR-4a", "TR-5", "UN-3", "UN-4", "UN-5", "PC-1", "PC-9"], root.GetProperty("threats").EnumerateArray().Select(t => t.GetProperty("id").GetString()));

        var cases = root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c);
        var fail = cases["TR-2b-03"];
        Assert.Equal("fail", fail.GetProperty("verdict").GetString());
        Assert.Equal(["TR-2b", "UN-3"], fail.GetProperty("threats").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["access-control"], fail.GetProperty("detects").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("MUST", fail.GetProperty("requirement").GetString());
        Assert.Equal("p2psip certify --case TR-2b-03 --seed 1234", fail.GetProperty("rerun").GetString());
        Assert.EndsWith(SyntheticReport.Hostile.Replace("\ud800", "\ufffd"), fail.GetProperty("reason").GetString());
        var evidence = fail.GetProperty("evidence");
        Assert.Equal("captures/TR-2b-03.pcap", evidence.GetProperty("capture").GetString());
        var sent = evidence.GetProperty("messages")[0];
        Assert.Equal("sent", sent.GetProperty("direction").GetString());
        Assert.Equal("d2454c4f0001ff", sent.GetProperty("hex").GetString());
        Assert.Equal("2026-11-30T12:00:00.0100000Z", sent.GetProperty("time").GetString());
        Assert.Equal("received", evidence.GetProperty("messages")[1].GetProperty("direction").GetString());

        Assert.Equal(JsonValueKind.Null, cases["PC-1-01"].GetProperty("expected").ValueKind);
        Assert.True(cases["TR-5-01"].GetProperty("expected").GetProperty("matched").GetBoolean());
        Assert.False(cases["TR-4a-01"].GetProperty("expected").GetProperty("matched").GetBoolean());
        Assert.Equal("fail", cases["TR-4a-01"].GetProperty("expected").GetProperty("verdict").GetString());
    }

    [Fact]
    public void The_schema_version_in_the_schema_file_is_the_models()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(P2psip.Tests.Fuzz.RepositoryRoot.Path, "schemas", "report.schema.json")))!;
        Assert.Equal(CertificationReport.SchemaVersion, schema["properties"]!["schema_version"]!["const"]!.GetValue<int>());
    }
}
