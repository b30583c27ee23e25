using System.Globalization;
using System.Text;
using System.Xml;

namespace P2psip.Conformance.Reports;

/// <summary>
/// junit.xml as GitLab and Jenkins read it (the Ant/Surefire shape): one &lt;testsuite&gt; per
/// threat ID (the case's primary one), one &lt;testcase&gt; per case with classname = that threat ID
/// and name = case ID and title. fail and crash are &lt;failure&gt;, error is &lt;error&gt;, inconclusive
/// and not-applicable are &lt;skipped&gt;; pass and pass-lenient are plain test cases. A result that
/// matched the expectations file is &lt;skipped&gt; ("expected ..."), and one that differed from it is a
/// &lt;failure&gt; whatever its verdict, as the exit status counts them. The message names the RFC
/// clause and the reason; evidence goes in as hex and one-line summaries in system-out.
/// </summary>
public static class JunitXml
{
    public static byte[] Render(CertificationReport report)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            NewLineChars = "\n",
        };
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("testsuites");
            w.WriteAttributeString("name", Clean($"{report.Tool.Name} certify {report.Sut.Description}"));
            WriteCountAttributes(w, report.Cases);
            w.WriteAttributeString("time", ReportFormat.Seconds(report.End - report.Start));
            w.WriteAttributeString("timestamp", ReportFormat.Time(report.Start));

            var suites = report.Cases.GroupBy(c => c.Case.Threat).OrderBy(g => ThreatCatalogue.Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal);
            foreach (var suite in suites)
            {
                var cases = suite.ToList();
                w.WriteStartElement("testsuite");
                w.WriteAttributeString("name", Clean(suite.Key));
                WriteCountAttributes(w, cases);
                w.WriteAttributeString("time", ReportFormat.Seconds(TimeSpan.FromTicks(cases.Sum(c => c.Result.Duration.Ticks))));
                w.WriteAttributeString("timestamp", ReportFormat.Time(report.Start));
                WriteProperties(w, report);
                foreach (var c in cases) WriteCase(w, c);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    private enum Element { None, Failure, Error, Skipped }

    private static Element ElementFor(CaseResult result) => ReportFormat.MetExpectation(result) switch
    {
        true => Element.Skipped,
        false => Element.Failure,
        null => result.Verdict switch
        {
            Verdict.Fail or Verdict.Crash => Element.Failure,
            Verdict.Error => Element.Error,
            Verdict.Inconclusive or Verdict.NotApplicable => Element.Skipped,
            _ => Element.None,
        },
    };

    private static void WriteCountAttributes(XmlWriter w, IReadOnlyCollection<CaseReport> cases)
    {
        var elements = cases.Select(c => ElementFor(c.Result)).ToList();
        w.WriteAttributeString("tests", cases.Count.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("failures", elements.Count(e => e == Element.Failure).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("errors", elements.Count(e => e == Element.Error).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("skipped", elements.Count(e => e == Element.Skipped).ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteProperties(XmlWriter w, CertificationReport report)
    {
        w.WriteStartElement("properties");
        Property("tool", $"{report.Tool.Name} {report.Tool.Version} ({report.Tool.Commit})");
        Property("sut", report.Sut.Description);
        Property("sut.address", report.Sut.Address);
        Property("sut.transport", report.Sut.Transport);
        Property("seed", report.Seed.ToString(CultureInfo.InvariantCulture));
        if (report.Sut.DisabledDefences is { Count: > 0 } off) Property("disabled-defences", string.Join(", ", off));
        w.WriteEndElement();

        void Property(string name, string value)
        {
            w.WriteStartElement("property");
            w.WriteAttributeString("name", name);
            w.WriteAttributeString("value", Clean(value));
            w.WriteEndElement();
        }
    }

    private static void WriteCase(XmlWriter w, CaseReport c)
    {
        var (@case, result) = (c.Case, c.Result);
        w.WriteStartElement("testcase");
        w.WriteAttributeString("classname", Clean(@case.Threat));
        w.WriteAttributeString("name", Clean($"{@case.Id} {@case.Title}"));
        w.WriteAttributeString("time", ReportFormat.Seconds(result.Duration));

        var message = Clean($"{result.Verdict.Word()}: {ReportFormat.Clauses(@case)}: {result.Reason}");
        var expectation = ReportFormat.ExpectationText(result);
        if (expectation is not null) message = Clean($"{expectation}; {message}");
        switch (ElementFor(result))
        {
            case Element.Failure:
                w.WriteStartElement("failure");
                w.WriteAttributeString("message", message);
                w.WriteAttributeString("type", ReportFormat.MetExpectation(result) == false ? "expectation-mismatch" : result.Verdict.Word());
                w.WriteString(Clean(Details(c)));
                w.WriteEndElement();
                break;
            case Element.Error:
                w.WriteStartElement("error");
                w.WriteAttributeString("message", message);
                w.WriteAttributeString("type", "harness-error");
                w.WriteString(Clean(Details(c)));
                w.WriteEndElement();
                break;
            case Element.Skipped:
                w.WriteStartElement("skipped");
                w.WriteAttributeString("message", message);
                w.WriteEndElement();
                break;
        }
        w.WriteElementString("system-out", Clean(SystemOut(c)));
        w.WriteEndElement();
    }

    /// <summary>What a CI page shows under a failure: the clause, the oracle, the reason and how to rerun.</summary>
    private static string Details(CaseReport c)
    {
        var b = new StringBuilder();
        b.Append(c.Case.Id).Append(' ').Append(c.Case.Title).Append('\n');
        b.Append("threats: ").Append(string.Join(", ", c.Case.Threats)).Append('\n');
        b.Append(ReportFormat.Clauses(c.Case)).Append('\n');
        b.Append("oracle: ").Append(c.Case.Oracle).Append('\n');
        b.Append("verdict: ").Append(c.Result.Verdict.Word()).Append(": ").Append(c.Result.Reason).Append('\n');
        b.Append("rerun: ").Append(c.Rerun).Append('\n');
        return b.ToString();
    }

    /// <summary>The evidence: notes, capture path, and each message as time, direction, party, summary and hex.</summary>
    private static string SystemOut(CaseReport c)
    {
        var b = new StringBuilder();
        b.Append("verdict: ").Append(c.Result.Verdict.Word()).Append(": ").Append(c.Result.Reason).Append('\n');
        b.Append("rerun: ").Append(c.Rerun).Append('\n');
        if (c.Result.Capture is { } capture) b.Append("capture: ").Append(capture).Append('\n');
        foreach (var note in c.Result.Notes) b.Append("note: ").Append(note).Append('\n');
        foreach (var m in c.Result.Messages)
        {
            b.Append(ReportFormat.Time(m.Time)).Append(' ')
             .Append(m.Direction == EvidenceDirection.Sent ? "sent to SUT by " : "received from SUT by ")
             .Append(m.Party).Append(": ").Append(m.Summary).Append('\n')
             .Append("  ").Append(Convert.ToHexStringLower(m.Bytes)).Append('\n');
        }
        return b.ToString();
    }

    private static string Clean(string text) => XmlSafeText.Clean(text);
}
