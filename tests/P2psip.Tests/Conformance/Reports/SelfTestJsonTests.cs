using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2psip.Conformance;
using P2psip.Conformance.Reports;

namespace P2psip.Tests.Conformance.Reports;

public class SelfTestJsonTests
{
    private static string Json(SelfTestResult result) => Encoding.UTF8.GetString(SelfTestJson.Render(result, SelfTestEvaluation.Evaluate(result)));

    private static SelfTestResult Broken() => SelfTestSamples.Result(
        new SelfTestVariant(null, SelfTestSamples.Run()),
        new SelfTestVariant("tls-only", SelfTestSamples.Run((SelfTestSamples.Tls, Verdict.Fail), (SelfTestSamples.Acl2, Verdict.Fail))),
        new SelfTestVariant("access-control", SelfTestSamples.Run()));

    [Fact]
    public void Holding_and_broken_self_tests_validate_against_the_schema()
    {
        var schema = SchemaValidation.Load("selftest.schema.json");
        Assert.Empty(SchemaValidation.Errors(schema, Json(SelfTestSamples.Holding())));
        Assert.Empty(SchemaValidation.Errors(schema, Json(Broken())));
    }

    [Fact]
    public void Passed_with_problems_does_not_validate()
    {
        var schema = SchemaValidation.Load("selftest.schema.json");
        var lie = SchemaValidation.Mutate(Json(Broken()), root => root["passed"] = true);
        Assert.NotEmpty(SchemaValidation.Errors(schema, lie));
        var noDisabled = SchemaValidation.Mutate(Json(SelfTestSamples.Holding()), root => root["variants"]![0]!.AsObject().Remove("disabled"));
        Assert.NotEmpty(SchemaValidation.Errors(schema, noDisabled));
    }

    [Fact]
    public void Variants_cases_and_problems_are_written_as_the_issue_names_them()
    {
        using var json = JsonDocument.Parse(Json(Broken()));
        var root = json.RootElement;
        Assert.False(root.GetProperty("passed").GetBoolean());
        var variants = root.GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, variants[0].GetProperty("disabled").ValueKind);
        Assert.Empty(variants[0].GetProperty("failed").EnumerateArray());
        Assert.Equal("tls-only", variants[1].GetProperty("disabled").GetString());
        Assert.Equal(["TR-1a-01", "TR-2c-01"], variants[1].GetProperty("failed").EnumerateArray().Select(e => e.GetString()));
        var acl = root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "TR-2b-01");
        Assert.Equal(["TR-2b", "TR-2c"], acl.GetProperty("threats").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["access-control"], acl.GetProperty("detects").EnumerateArray().Select(e => e.GetString()));
        var problems = root.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("disabled").GetString(), p.GetProperty("case").GetString())).ToList();
        Assert.Equal([("access-control", null), ("tls-only", "TR-2c-01")], problems.OrderBy(p => p.Item1));
    }
}
