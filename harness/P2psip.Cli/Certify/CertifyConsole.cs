using P2psip.Conformance;
using P2psip.Conformance.Running;
using P2psip.Conformance.Reports;
using Spectre.Console;

namespace P2psip.Cli.Certify;

/// <summary>
/// What <c>p2psip certify</c> shows on the console (issue 13 "Reports"): live progress while the
/// run goes (plain lines when stdout is not a terminal), then a summary table per threat ID, the
/// cases that did not pass with their rerun commands, and for a self-test its matrix.
/// </summary>
public static class CertifyConsole
{
    /// <summary>
    /// Runs <paramref name="run"/> with a progress display: Spectre.Console's live one on a
    /// terminal, plain lines on <paramref name="plain"/> (stdout by default) when stdout is redirected,
    /// a writer is given, or <paramref name="showEvidence"/> asks for every message under its case.
    /// </summary>
    public static Task<T> RunWithProgressAsync<T>(Func<IRunObserver, Task<T>> run, TextWriter? plain = null, bool showEvidence = false) =>
        Console.IsOutputRedirected || plain is not null || showEvidence
            ? run(new PlainProgress(plain ?? Console.Out) { ShowEvidence = showEvidence })
            : RunLiveAsync(AnsiConsole.Console, run);

    /// <summary>Runs <paramref name="run"/> under Spectre.Console's live progress display on <paramref name="console"/>, then prints the notes it received.</summary>
    public static async Task<T> RunLiveAsync<T>(IAnsiConsole console, Func<IRunObserver, Task<T>> run)
    {
        T result = default!;
        IReadOnlyList<string> notes = [];
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var progress = new LiveProgress(context);
                try { result = await run(progress).ConfigureAwait(false); }
                finally { notes = progress.Notes; }
            }).ConfigureAwait(false);
        foreach (var note in notes) console.WriteLine($"note: {note}");
        return result;
    }

    /// <summary>
    /// The summary: one row per threat ID of THREATS.md (and any other ID the cases name) with its
    /// counts per verdict and worst verdict, a total row, then each case that counts against the run
    /// with its reason and rerun command.
    /// </summary>
    public static void WriteSummary(CertificationReport report, IAnsiConsole console)
    {
        var redirected = WidenForLogs(console);
        var counts = ReportFormat.ThreatCounts(report);
        var summary = report.ThreatSummary();
        var table = new Table().Border(redirected ? TableBorder.Ascii : TableBorder.Rounded)
            .Title(Markup.Escape($"certify {report.Sut.Description}, seed {report.Seed}"));
        table.AddColumn("Threat");
        table.AddColumn("Cases", c => c.RightAligned());
        foreach (var verdict in VerdictNames.All) table.AddColumn(verdict.Word(), c => c.RightAligned());
        table.AddColumn("Summary");

        foreach (var id in ThreatCatalogue.RowsFor(counts.Keys))
        {
            var row = counts.GetValueOrDefault(id);
            var cells = new List<Text> { new(id), new((row?.Sum() ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            foreach (var verdict in VerdictNames.All)
            {
                int n = row?[(int)verdict] ?? 0;
                cells.Add(n == 0 ? new Text("-", new Style(Color.Grey)) : new Text(n.ToString(System.Globalization.CultureInfo.InvariantCulture), StyleOf(verdict)));
            }
            cells.Add(summary.TryGetValue(id, out var worst) ? new Text(worst.Word(), StyleOf(worst)) : new Text("no case", new Style(Color.Grey)));
            table.AddRow(cells);
        }

        var totals = new List<Text> { new("all", new Style(decoration: Decoration.Bold)), new(report.Cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        foreach (var verdict in VerdictNames.All) totals.Add(new Text(report.Count(verdict).ToString(System.Globalization.CultureInfo.InvariantCulture), report.Count(verdict) > 0 ? StyleOf(verdict) : Style.Plain));
        totals.Add(new Text($"exit {report.ExitCode}"));
        table.AddRow(totals);
        console.Write(table);

        foreach (var c in report.Cases.Where(c => ReportFormat.CountsAgainst(c.Result)))
        {
            var expectation = ReportFormat.ExpectationText(c.Result);
            console.Write(new Text($"{c.Case.Id} {c.Result.Verdict.Word()}: {c.Result.Reason}", StyleOf(c.Result.Verdict)));
            console.WriteLine();
            if (expectation is not null) console.WriteLine($"  {expectation}");
            console.WriteLine($"  rerun: {c.Rerun}");
        }
    }

    /// <summary>
    /// The self-test matrix on the console: one row per defence switched off (all on first) with
    /// the cases that failed, grouped by threat ID, and the problems of that row; then the verdict.
    /// </summary>
    public static void WriteSelfTest(SelfTestResult result, SelfTestVerdict verdict, IAnsiConsole console)
    {
        var redirected = WidenForLogs(console);
        var cases = result.Cases.ToDictionary(c => c.Id);
        var table = new Table().Border(redirected ? TableBorder.Ascii : TableBorder.Rounded).Title("self-test: cases that failed, per defence switched off");
        table.AddColumn("Defence off");
        table.AddColumn("Failed cases, by threat");
        table.AddColumn("Problems");
        var rows = result.Variants.Select(v => v.Disabled).Concat(result.Defences.Where(d => result.Variants.All(v => v.Disabled != d)).Select(d => (string?)d)).Distinct();
        foreach (var disabled in rows)
        {
            var failed = result.Variants.FirstOrDefault(v => v.Disabled == disabled)?.Failed ?? [];
            var byThreat = failed.GroupBy(id => cases.TryGetValue(id, out var c) ? c.Threat : "?")
                .OrderBy(g => ThreatCatalogue.Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key}: {string.Join(", ", g)}");
            var problems = verdict.Problems.Where(p => p.Disabled == disabled).Select(p => p.Why).ToList();
            table.AddRow(
                new Text(disabled ?? "(all on)"),
                new Text(failed.Count == 0 ? "-" : string.Join("\n", byThreat)),
                problems.Count == 0 ? new Text("ok", new Style(Color.Green)) : new Text(string.Join("\n", problems), new Style(Color.Red)));
        }
        console.Write(table);
        console.Write(verdict.Passed
            ? new Text("self-test passed\n", new Style(Color.Green))
            : new Text($"self-test failed: {verdict.Problems.Count} problem cells\n", new Style(Color.Red)));
    }

    /// <summary>Width of a log line: the summary table needs about 120 columns, and a CI log has no edge to wrap at.</summary>
    private const int LogWidth = 140;

    /// <summary>
    /// Whether the console is not a terminal (no ANSI); then its width, which Spectre.Console
    /// guesses as 80 for redirected output, is widened so the table does not wrap in a CI log.
    /// </summary>
    private static bool WidenForLogs(IAnsiConsole console)
    {
        if (console.Profile.Capabilities.Ansi) return false;
        if (console.Profile.Width < LogWidth) console.Profile.Width = LogWidth;
        return true;
    }

    private static Style StyleOf(Verdict verdict) => verdict switch
    {
        Verdict.Pass => new Style(Color.Green),
        Verdict.PassLenient => new Style(Color.Olive),
        Verdict.Fail => new Style(Color.Red),
        Verdict.Crash => new Style(Color.White, Color.Maroon),
        Verdict.Inconclusive => new Style(Color.Yellow),
        Verdict.NotApplicable => new Style(Color.Grey),
        Verdict.Error => new Style(Color.Fuchsia),
        _ => Style.Plain,
    };
}
