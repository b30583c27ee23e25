using System.Globalization;

namespace P2psip.Conformance.Reports;

/// <summary>How every report writes the same facts the same way: times, durations, clauses, expectations.</summary>
public static class ReportFormat
{
    /// <summary>UTC, ISO 8601 with 7 fraction digits and 'Z' (RFC 3339 date-time, so JSON Schema's format accepts it).</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Milliseconds, three decimals (microseconds): a JSON number with no 64-bit precision question.</summary>
    public static double Milliseconds(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 3);

    /// <summary>A rate or fraction in [0, 1] as the curve tables print it (up to four decimals, invariant).</summary>
    public static string Rate(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Seconds with three decimals, invariant: JUnit's time attribute.</summary>
    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>"RFC 6940 §6.3.2, §13.3 MUST": the clauses a case checks and how strongly.</summary>
    public static string Clauses(ConformanceCase @case) =>
        @case.Rfc.Count == 0
            ? $"RFC 6940 {@case.Requirement.Word()}"
            : $"RFC 6940 {string.Join(", ", @case.Rfc.Select(r => "§" + r))} {@case.Requirement.Word()}";

    /// <summary>Whether the result matched the expectations file's entry; null when there was none.</summary>
    public static bool? MetExpectation(CaseResult result) =>
        result.Expected is { } e ? e.Verdict == result.Verdict : null;

    /// <summary>Whether the case counts against the run (exit 1 or 3), as <see cref="CertificationReport.ExitCode"/> decides.</summary>
    public static bool CountsAgainst(CaseResult result) => MetExpectation(result) switch
    {
        true => false,
        false => true,
        null => !result.Verdict.IsSuccess(),
    };

    /// <summary>One line on an expectation entry: matched or not, and what to do.</summary>
    public static string? ExpectationText(CaseResult result) => result.Expected is not { } e
        ? null
        : e.Verdict == result.Verdict
            ? $"expected {e.Verdict.Word()} (known deviation: {e.Why})"
            : $"expected {e.Verdict.Word()} but got {result.Verdict.Word()}: update or remove the entry ({e.Why})";

    /// <summary>Threat IDs in THREATS.md's order, then the others.</summary>
    public static IEnumerable<string> OrderThreats(IEnumerable<string> ids) =>
        ids.Distinct().OrderBy(ThreatCatalogue.Order).ThenBy(id => id, StringComparer.Ordinal);

    /// <summary>Per threat ID (primary and secondary), how many of its cases got each verdict.</summary>
    public static IReadOnlyDictionary<string, int[]> ThreatCounts(CertificationReport report)
    {
        var counts = new Dictionary<string, int[]>();
        foreach (var c in report.Cases)
            foreach (var threat in c.Case.Threats.Distinct())
            {
                if (!counts.TryGetValue(threat, out var row)) counts[threat] = row = new int[VerdictNames.All.Count];
                row[(int)c.Result.Verdict]++;
            }
        return counts;
    }
}
