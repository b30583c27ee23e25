using System.Net;
using System.Text;

namespace P2psip.Conformance.Reports;

/// <summary>
/// report.html (issue 13 "Reports"): one self-contained file (inline CSS, a few lines of inline
/// script, nothing fetched) with the run's header, the threat matrix (THREATS.md's rows, one
/// column per verdict, counts coloured), the draft's five open issues with the verdicts of the
/// threats that answer them, the self-test matrix when there is one, and every case with its
/// evidence in a collapsible block. Every text from the report is HTML-escaped; evidence bytes
/// appear only as hex.
/// </summary>
public static class HtmlReport
{
    /// <summary>The attribute the page's script sets on &lt;html&gt; once it ran: what the browser test looks for.</summary>
    public const string ReadyAttribute = "data-report-ready";

    /// <summary>Set on &lt;html&gt; once the page loaded: how many curve pictures the browser could show.</summary>
    public const string CurvesShownAttribute = "data-curves-shown";

    public static byte[] Render(CertificationReport report, SelfTestResult? selfTest = null, SelfTestVerdict? selfTestVerdict = null,
        IReadOnlyList<ReportCurve>? curves = null)
    {
        var h = new StringBuilder(64 * 1024);
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .Append("<title>p2psip certify: ").Append(E(report.Sut.Description)).Append("</title>\n")
         .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        Header(h, report);
        ThreatMatrix(h, report);
        OpenIssues(h, report);
        if (selfTest is not null) SelfTestMatrix(h, selfTest, selfTestVerdict ?? SelfTestEvaluation.Evaluate(selfTest));
        if (curves is { Count: > 0 }) Curves(h, curves);
        Cases(h, report);
        h.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return new UTF8Encoding(false).GetBytes(h.ToString());
    }

    private static void Header(StringBuilder h, CertificationReport report)
    {
        h.Append("<header>\n<h1>P2PSIP certification report</h1>\n<table class=\"facts\">\n");
        Fact(h, "System under test", $"{report.Sut.Description} ({report.Sut.Kind})");
        Fact(h, "Address", $"{report.Sut.Address} over {report.Sut.Transport}");
        if (report.Sut.NodeId is { } nodeId) Fact(h, "Node-ID", nodeId);
        if (report.Sut.DisabledDefences is { } off)
            Fact(h, "Defences off", off.Count == 0 ? "none (all defences on)" : string.Join(", ", off));
        Fact(h, "Seed", report.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Fact(h, "Tool", $"{report.Tool.Name} {report.Tool.Version} (commit {report.Tool.Commit})");
        Fact(h, "Started", ReportFormat.Time(report.Start));
        Fact(h, "Ended", $"{ReportFormat.Time(report.End)} ({ReportFormat.Seconds(report.End - report.Start)} s)");
        Fact(h, "Exit status", report.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        h.Append("</table>\n<p class=\"counts\" id=\"counts\">").Append(report.Cases.Count).Append(" cases: ");
        foreach (var verdict in VerdictNames.All)
            h.Append("<span class=\"badge ").Append(report.Count(verdict) == 0 ? "zero" : Css(verdict)).Append("\">").Append(E(verdict.Word())).Append(' ').Append(report.Count(verdict)).Append("</span> ");
        h.Append("</p>\n");
        foreach (var note in report.Notes) h.Append("<p class=\"note\">").Append(E(note)).Append("</p>\n");
        h.Append("</header>\n");
    }

    private static void Fact(StringBuilder h, string name, string value) =>
        h.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    private static void ThreatMatrix(StringBuilder h, CertificationReport report)
    {
        var counts = ReportFormat.ThreatCounts(report);
        var summary = report.ThreatSummary();
        h.Append("<section>\n<h2>Threat matrix</h2>\n<table id=\"threat-matrix\" class=\"matrix\">\n<thead><tr><th>Threat</th><th>Attack</th>");
        foreach (var verdict in VerdictNames.All) h.Append("<th>").Append(E(verdict.Word())).Append("</th>");
        h.Append("<th>Summary</th></tr></thead>\n<tbody>\n");
        Group("Trusted overlay base (draft Figure 4)", ThreatCatalogue.Trusted);
        Group("Untrusted overlay base (draft Figure 6)", ThreatCatalogue.Untrusted);
        Group("Protocol conformance (RFC 6940)", ThreatCatalogue.ProtocolConformance);
        var known = ThreatCatalogue.All.Select(t => t.Id).ToHashSet();
        var other = ReportFormat.OrderThreats(counts.Keys.Where(id => !known.Contains(id))).Select(id => new ThreatCatalogue.Threat(id, "not in THREATS.md")).ToList();
        if (other.Count > 0) Group("Other IDs the cases name", other);
        h.Append("</tbody>\n</table>\n</section>\n");

        void Group(string title, IReadOnlyList<ThreatCatalogue.Threat> threats)
        {
            h.Append("<tr class=\"group\"><th colspan=\"").Append(VerdictNames.All.Count + 3).Append("\">").Append(E(title)).Append("</th></tr>\n");
            foreach (var threat in threats)
            {
                var row = counts.GetValueOrDefault(threat.Id);
                h.Append("<tr data-threat=\"").Append(E(threat.Id)).Append("\"><th>");
                // Only threats that have cases have a section to jump to.
                if (row is not null) h.Append("<a href=\"#threat-").Append(E(threat.Id)).Append("\">").Append(E(threat.Id)).Append("</a>");
                else h.Append(E(threat.Id));
                h.Append("</th><td class=\"attack\">").Append(E(threat.Attack)).Append("</td>");
                foreach (var verdict in VerdictNames.All)
                {
                    int n = row?[(int)verdict] ?? 0;
                    if (n == 0) h.Append("<td class=\"zero\">0</td>");
                    else h.Append("<td class=\"").Append(Css(verdict)).Append("\">").Append(n).Append("</td>");
                }
                if (summary.TryGetValue(threat.Id, out var worst)) h.Append("<td class=\"").Append(Css(worst)).Append("\">").Append(E(worst.Word())).Append("</td>");
                else h.Append("<td class=\"none\">no case</td>");
                h.Append("</tr>\n");
            }
        }
    }

    private static void OpenIssues(StringBuilder h, CertificationReport report)
    {
        var summary = report.ThreatSummary();
        h.Append("<section>\n<h2>The draft's open issues (section 6) and what answered them</h2>\n<table id=\"open-issues\" class=\"list\">\n")
         .Append("<thead><tr><th>#</th><th>Open issue</th><th>Answered by</th><th>Verdict</th></tr></thead>\n<tbody>\n");
        foreach (var issue in ThreatCatalogue.OpenIssues)
        {
            h.Append("<tr><td>").Append(issue.Number).Append("</td><td>").Append(E(issue.Question)).Append("</td><td>");
            foreach (var threat in issue.AnsweredBy)
            {
                h.Append("<span class=\"badge ");
                if (summary.TryGetValue(threat, out var v)) h.Append(Css(v)).Append("\">").Append(E(threat)).Append(": ").Append(E(v.Word()));
                else h.Append("none\">").Append(E(threat)).Append(": no case");
                h.Append("</span> ");
            }
            h.Append("</td>");
            var verdicts = issue.AnsweredBy.Where(summary.ContainsKey).Select(t => summary[t]).ToList();
            var unanswered = issue.AnsweredBy.Where(t => !summary.ContainsKey(t)).ToList();
            if (unanswered.Count > 0) h.Append("<td class=\"none\">incomplete: no case for ").Append(E(string.Join(", ", unanswered))).Append("</td>");
            else
            {
                var worst = verdicts.OrderBy(CertificationReport.Severity).Last();
                h.Append("<td class=\"").Append(Css(worst)).Append("\">").Append(E(worst.Word())).Append("</td>");
            }
            h.Append("</tr>\n");
        }
        h.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void SelfTestMatrix(StringBuilder h, SelfTestResult result, SelfTestVerdict verdict)
    {
        var cases = result.Cases.ToDictionary(c => c.Id);
        var columns = ReportFormat.OrderThreats(result.Cases.Select(c => c.Threat)).ToList();
        var problemCells = verdict.Problems.Where(p => p.CaseId is not null).Select(p => (p.Disabled, p.CaseId!)).ToHashSet();
        var problemRows = verdict.Problems.GroupBy(p => p.Disabled ?? "").ToDictionary(g => g.Key, g => string.Join("; ", g.Select(p => p.Why)));

        h.Append("<section>\n<h2>Self-test: every oracle proven to fail</h2>\n<p class=\"selftest-verdict ")
         .Append(verdict.Passed ? "v-pass\">The self-test passed" : "v-fail\">The self-test failed")
         .Append(": ").Append(result.Variants.Count).Append(" runs, ").Append(verdict.Problems.Count).Append(" problem cells.</p>\n")
         .Append("<p>Rows: the defence switched off (all on first); columns: threat IDs (each case under its primary one); cells: the cases that failed. Red: a problem cell, or a row with a problem (hover for why).</p>\n")
         .Append("<div class=\"scroll\"><table id=\"selftest-matrix\" class=\"matrix\">\n<thead><tr><th>Defence off</th>");
        foreach (var column in columns) h.Append("<th>").Append(E(column)).Append("</th>");
        h.Append("</tr></thead>\n<tbody>\n");

        var rows = result.Variants.Select(v => v.Disabled).Concat(result.Defences.Where(d => result.Variants.All(v => v.Disabled != d)).Select(d => (string?)d)).Distinct().ToList();
        foreach (var disabled in rows)
        {
            var variant = result.Variants.FirstOrDefault(v => v.Disabled == disabled);
            var name = disabled ?? "(all on)";
            var rowProblem = problemRows.GetValueOrDefault(disabled ?? "");
            h.Append("<tr data-defence=\"").Append(E(name)).Append("\"><th");
            if (rowProblem is not null) h.Append(" class=\"problem\" title=\"").Append(E(rowProblem)).Append('"');
            h.Append('>').Append(E(name)).Append("</th>");
            foreach (var column in columns)
            {
                // The cases that failed, and any other case with a problem in this row (e.g. inconclusive in the all-on run).
                var listed = (variant?.Failed ?? []).Concat(problemCells.Where(p => p.Disabled == disabled).Select(p => p.Item2)).Distinct();
                var failed = listed.Where(id => cases.TryGetValue(id, out var c) && c.Threat == column).ToList();
                if (failed.Count == 0) { h.Append("<td></td>"); continue; }
                bool problem = failed.Any(id => problemCells.Contains((disabled, id)));
                h.Append("<td class=\"").Append(problem ? "problem" : "declared").Append("\">")
                 .Append(string.Join("<br>", failed.Select(id => $"<a href=\"#case-{E(id)}\">{E(id)}</a>"))).Append("</td>");
            }
            h.Append("</tr>\n");
        }
        h.Append("</tbody>\n</table></div>\n");
        if (verdict.Problems.Count > 0)
        {
            h.Append("<ul id=\"selftest-problems\">\n");
            foreach (var p in verdict.Problems) h.Append("<li>").Append(E(p.Why)).Append("</li>\n");
            h.Append("</ul>\n");
        }
        h.Append("</section>\n");
    }

    private static void Cases(StringBuilder h, CertificationReport report)
    {
        h.Append("<section id=\"cases\">\n<h2>Cases</h2>\n<p><button type=\"button\" id=\"expand\">Expand all</button> <button type=\"button\" id=\"collapse\">Collapse all</button></p>\n");
        // Grouped under their primary threat in THREATS.md's order; within a threat, in the order run.
        var grouped = report.Cases.Select((c, i) => (Case: c, Index: i))
            .OrderBy(x => ThreatCatalogue.Order(x.Case.Case.Threat)).ThenBy(x => x.Case.Case.Threat, StringComparer.Ordinal).ThenBy(x => x.Index)
            .Select(x => x.Case);
        var anchored = new HashSet<string>();
        foreach (var c in grouped)
        {
            var (@case, result) = (c.Case, c.Result);
            if (anchored.Add(@case.Threat)) h.Append("<h3 id=\"threat-").Append(E(@case.Threat)).Append("\">").Append(E(@case.Threat)).Append("</h3>\n");
            h.Append("<details class=\"case\" id=\"case-").Append(E(@case.Id)).Append("\"");
            if (ReportFormat.CountsAgainst(result)) h.Append(" open");
            h.Append(">\n<summary><span class=\"badge ").Append(Css(result.Verdict)).Append("\">").Append(E(result.Verdict.Word())).Append("</span> <b>")
             .Append(E(@case.Id)).Append("</b> ").Append(E(@case.Title)).Append("</summary>\n<table class=\"facts\">\n");
            Fact(h, "Threats", string.Join(", ", @case.Threats));
            Fact(h, "RFC", ReportFormat.Clauses(@case));
            if (@case.Detects.Count > 0) Fact(h, "Detects", string.Join(", ", @case.Detects));
            Fact(h, "Setup", @case.Setup);
            Fact(h, "Stimulus", @case.Stimulus);
            Fact(h, "Oracle", @case.Oracle);
            if (@case.Needs.Count > 0) Fact(h, "Needs", string.Join(", ", @case.Needs));
            Fact(h, "Reason", result.Reason);
            if (ReportFormat.ExpectationText(result) is { } expectation) Fact(h, "Expected", expectation);
            Fact(h, "Duration", $"{ReportFormat.Seconds(result.Duration)} s");
            h.Append("<tr><th>Rerun</th><td><code>").Append(E(c.Rerun)).Append("</code></td></tr>\n");
            if (result.Capture is { } capture) Fact(h, "Capture", capture);
            foreach (var note in result.Notes) Fact(h, "Note", note);
            h.Append("</table>\n");
            if (result.Messages.Count > 0)
            {
                h.Append("<table class=\"evidence\">\n<thead><tr><th>Time (UTC)</th><th>Direction</th><th>Party</th><th>Message</th></tr></thead>\n<tbody>\n");
                foreach (var m in result.Messages)
                {
                    h.Append("<tr><td>").Append(E(ReportFormat.Time(m.Time)[11..])).Append("</td><td>")
                     .Append(m.Direction == EvidenceDirection.Sent ? "sent &rarr; SUT" : "received &larr; SUT").Append("</td><td>")
                     .Append(E(m.Party)).Append("</td><td>").Append(E(m.Summary))
                     .Append("<details class=\"hex\"><summary>").Append(m.Bytes.Length).Append(" bytes</summary><code>")
                     .Append(Convert.ToHexStringLower(m.Bytes)).Append("</code></details></td></tr>\n");
                }
                h.Append("</tbody>\n</table>\n");
            }
            h.Append("</details>\n");
        }
        h.Append("</section>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(XmlSafeText.Clean(text));

    private static string Css(Verdict verdict) => "v-" + verdict.Word();

    /// <summary>The simulator's attack curves beside the report (issue 10: "the certify HTML report links it when present").</summary>
    private static void Curves(StringBuilder h, IReadOnlyList<ReportCurve> curves)
    {
        h.Append("<section id=\"curves\">\n<h2>Attack curves (simulator)</h2>\n")
         .Append("<p class=\"note\">Correct-answer rate of lookups against the fraction of malicious peers, from <code>p2psip sim curve</code>; ")
         .Append("the dashed line is the single-path expectation (1&#8722;F)<sup>h</sup>.</p>\n");
        foreach (var curve in curves)
        {
            h.Append("<figure class=\"curve\">\n<a href=\"").Append(E(curve.Image)).Append("\"><img src=\"").Append(E(curve.Image))
             .Append("\" alt=\"").Append(E(curve.Title)).Append("\" width=\"640\"></a>\n<figcaption>").Append(E(curve.Title))
             .Append(" &#183; <a href=\"").Append(E(curve.Csv)).Append("\">curve.csv</a> &#183; <a href=\"").Append(E(curve.Json)).Append("\">curve.json</a></figcaption>\n");
            var modes = curve.Points.Select(p => p.LookupMode).Distinct().ToList();
            h.Append("<table class=\"list\"><thead><tr><th>Malicious fraction</th>");
            foreach (var mode in modes) h.Append("<th>").Append(E(mode)).Append("</th>");
            h.Append("<th>(1&#8722;F)<sup>h</sup></th></tr></thead>\n<tbody>\n");
            foreach (var fraction in curve.Points.Select(p => p.MaliciousFraction).Distinct().Order())
            {
                h.Append("<tr><td>").Append(ReportFormat.Rate(fraction)).Append("</td>");
                foreach (var mode in modes)
                {
                    var point = curve.Points.FirstOrDefault(p => p.LookupMode == mode && p.MaliciousFraction == fraction);
                    h.Append("<td>").Append(point is null ? "" : ReportFormat.Rate(point.CorrectAnswerRate)).Append("</td>");
                }
                var analytic = curve.Points.First(p => p.MaliciousFraction == fraction).Analytic;
                h.Append("<td>").Append(ReportFormat.Rate(analytic)).Append("</td></tr>\n");
            }
            h.Append("</tbody></table>\n</figure>\n");
        }
        h.Append("</section>\n");
    }

    private const string Style =
        """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #212121; }
        h1 { font-size: 1.5em; margin: 0 0 .5em; } h2 { font-size: 1.2em; margin-top: 1.5em; } h3 { font-size: 1em; margin: 1em 0 .3em; }
        table { border-collapse: collapse; } th, td { padding: 2px 8px; text-align: left; vertical-align: top; }
        table.facts th { color: #555; font-weight: 600; white-space: nowrap; }
        table.matrix, table.list, table.evidence { border: 1px solid #bbb; }
        table.matrix th, table.matrix td, table.list th, table.list td, table.evidence th, table.evidence td { border: 1px solid #ddd; }
        table.matrix td { text-align: center; min-width: 3em; }
        table.matrix td.attack { text-align: left; color: #444; }
        tr.group th { background: #eceff1; font-weight: 600; }
        td.zero { color: #bbb; } span.zero { background: #f5f5f5; color: #999; } td.none, span.none { background: #fafafa; color: #888; font-style: italic; }
        .v-pass { background: #a5d6a7; } .v-pass-lenient { background: #e6ee9c; }
        .v-fail { background: #ef9a9a; } .v-crash { background: #b71c1c; color: #fff; }
        .v-inconclusive { background: #ffe082; } .v-not-applicable { background: #e0e0e0; } .v-error { background: #ce93d8; }
        td.declared { background: #c8e6c9; } td.problem, th.problem { background: #ef5350; color: #fff; } td.problem a { color: #fff; }
        .badge { display: inline-block; padding: 0 6px; border-radius: 3px; margin: 1px 0; }
        .scroll { overflow-x: auto; }
        details.case { border: 1px solid #ddd; border-radius: 4px; margin: 4px 0; padding: 2px 8px; }
        details.case > summary { cursor: pointer; }
        table.evidence { margin: 4px 0 8px; font-size: 12px; }
        code { font: 12px ui-monospace, monospace; word-break: break-all; }
        details.hex code { display: block; max-width: 60em; }
        p.note { color: #555; margin: .2em 0; }
        figure.curve { margin: 1em 0; } figure.curve img { max-width: 100%; height: auto; border: 1px solid #ddd; }
        """;

    private const string Script =
        """
        (function () {
          var all = function (open) { document.querySelectorAll('details.case').forEach(function (d) { d.open = open; }); };
          document.getElementById('expand').addEventListener('click', function () { all(true); });
          document.getElementById('collapse').addEventListener('click', function () { all(false); });
          var rows = document.querySelectorAll('#threat-matrix tbody tr[data-threat]').length;
          document.documentElement.setAttribute('data-report-ready', String(rows));
          window.addEventListener('load', function () {
            var shown = Array.prototype.filter.call(document.querySelectorAll('#curves img'), function (i) { return i.naturalWidth > 0; }).length;
            document.documentElement.setAttribute('data-curves-shown', String(shown));
          });
        })();
        """;
}
