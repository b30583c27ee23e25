using System.Text.Json;

namespace P2psip.Conformance.Reports;

/// <summary>
/// selftest.json (issue 13 "The self-test"): <c>variants</c>, each { disabled: defence or null,
/// failed: [case IDs] }; <c>cases</c>, each { id, threats, detects }; and the self-test's own
/// verdict: <c>passed</c> and the <c>problems</c> cells with why. Shape: schemas/selftest.schema.json.
/// </summary>
public static class SelfTestJson
{
    public const int SchemaVersion = 1;

    public static byte[] Render(SelfTestResult result, SelfTestVerdict verdict)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, ReportJson.Options))
        {
            w.WriteStartObject();
            w.WriteNumber("schema_version", SchemaVersion);
            w.WriteBoolean("passed", verdict.Passed);
            ReportJson.WriteStrings(w, "defences", result.Defences);

            w.WriteStartArray("variants");
            foreach (var variant in result.Variants)
            {
                w.WriteStartObject();
                ReportJson.WriteStringOrNull(w, "disabled", variant.Disabled);
                ReportJson.WriteStrings(w, "failed", variant.Failed);
                w.WriteNumber("seed", variant.Report.Seed);
                w.WriteNumber("duration_ms", ReportFormat.Milliseconds(variant.Report.End - variant.Report.Start));
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("cases");
            foreach (var c in result.Cases)
            {
                w.WriteStartObject();
                w.WriteString("id", c.Id);
                ReportJson.WriteStrings(w, "threats", c.Threats);
                ReportJson.WriteStrings(w, "detects", c.Detects);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("problems");
            foreach (var p in verdict.Problems)
            {
                w.WriteStartObject();
                ReportJson.WriteStringOrNull(w, "disabled", p.Disabled);
                ReportJson.WriteStringOrNull(w, "case", p.CaseId);
                w.WriteString("why", p.Why);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
