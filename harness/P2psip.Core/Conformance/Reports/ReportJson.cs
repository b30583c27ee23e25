using System.Text.Encodings.Web;
using System.Text.Json;

namespace P2psip.Conformance.Reports;

/// <summary>
/// report.json (issue 13 "Reports"): the run and every case with its evidence, in the shape
/// schemas/report.schema.json describes (its schema_version is <see cref="CertificationReport.SchemaVersion"/>).
/// Bytes are lower-case hex; times are UTC RFC 3339; durations are milliseconds; the schema has no
/// 64-bit integer, so no reader loses precision.
/// </summary>
public static class ReportJson
{
    internal static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Readable reasons; every control character is still escaped, so any bytes stay valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Render(CertificationReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
            Write(w, report);
        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter w, CertificationReport report)
    {
        w.WriteStartObject();
        w.WriteNumber("schema_version", CertificationReport.SchemaVersion);
        w.WriteStartObject("tool");
        w.WriteString("name", report.Tool.Name);
        w.WriteString("version", report.Tool.Version);
        w.WriteString("commit", report.Tool.Commit);
        w.WriteEndObject();

        w.WriteStartObject("sut");
        w.WriteString("kind", report.Sut.Kind);
        w.WriteString("description", report.Sut.Description);
        w.WriteString("address", report.Sut.Address);
        w.WriteString("transport", report.Sut.Transport);
        WriteStringOrNull(w, "node_id", report.Sut.NodeId);
        if (report.Sut.DisabledDefences is { } disabled) WriteStrings(w, "disabled_defences", disabled);
        else w.WriteNull("disabled_defences");
        w.WriteEndObject();

        w.WriteNumber("seed", report.Seed);
        w.WriteString("start", ReportFormat.Time(report.Start));
        w.WriteString("end", ReportFormat.Time(report.End));
        w.WriteNumber("duration_ms", ReportFormat.Milliseconds(report.End - report.Start));
        w.WriteNumber("exit_code", report.ExitCode);

        w.WriteStartObject("counts");
        foreach (var verdict in VerdictNames.All) w.WriteNumber(verdict.Word(), report.Count(verdict));
        w.WriteEndObject();

        var summary = report.ThreatSummary();
        var counts = ReportFormat.ThreatCounts(report);
        w.WriteStartArray("threats");
        foreach (var threat in ReportFormat.OrderThreats(summary.Keys))
        {
            w.WriteStartObject();
            w.WriteString("id", threat);
            w.WriteString("verdict", summary[threat].Word());
            w.WriteNumber("cases", counts[threat].Sum());
            w.WriteStartObject("counts");
            foreach (var verdict in VerdictNames.All) w.WriteNumber(verdict.Word(), counts[threat][(int)verdict]);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        WriteStrings(w, "notes", report.Notes);

        w.WriteStartArray("cases");
        foreach (var c in report.Cases) WriteCase(w, c);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCase(Utf8JsonWriter w, CaseReport c)
    {
        var (@case, result) = (c.Case, c.Result);
        w.WriteStartObject();
        w.WriteString("id", @case.Id);
        w.WriteString("title", @case.Title);
        WriteStrings(w, "threats", @case.Threats);
        WriteStrings(w, "rfc", @case.Rfc);
        w.WriteString("requirement", @case.Requirement.Word());
        WriteStrings(w, "detects", @case.Detects);
        w.WriteString("setup", @case.Setup);
        w.WriteString("stimulus", @case.Stimulus);
        w.WriteString("oracle", @case.Oracle);
        WriteStrings(w, "needs", @case.Needs);
        w.WriteString("verdict", result.Verdict.Word());
        w.WriteString("reason", result.Reason);
        w.WriteNumber("duration_ms", ReportFormat.Milliseconds(result.Duration));
        w.WriteString("rerun", c.Rerun);
        if (result.Expected is { } e)
        {
            w.WriteStartObject("expected");
            w.WriteString("verdict", e.Verdict.Word());
            w.WriteString("why", e.Why);
            w.WriteBoolean("matched", e.Verdict == result.Verdict);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("expected");
        }

        w.WriteStartObject("evidence");
        w.WriteStartArray("messages");
        foreach (var m in result.Messages)
        {
            w.WriteStartObject();
            w.WriteString("time", ReportFormat.Time(m.Time));
            w.WriteString("direction", m.Direction == EvidenceDirection.Sent ? "sent" : "received");
            w.WriteString("party", m.Party);
            w.WriteNumber("length", m.Bytes.Length);
            w.WriteString("hex", Convert.ToHexStringLower(m.Bytes));
            w.WriteString("summary", m.Summary);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteStrings(w, "notes", result.Notes);
        WriteStringOrNull(w, "capture", result.Capture);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    internal static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
