namespace P2psip.Conformance.Reports;

/// <summary>
/// An attack curve of the simulator (<c>p2psip sim curve</c>, issue 10 item 3) that report.html
/// links (correct-answer rate against the fraction of a persona's peers, per lookup mode). Paths are
/// relative to the report's directory, '/'-separated, so the links work wherever the folder is moved.
/// </summary>
public sealed record ReportCurve
{
    /// <summary>What the curve is of, e.g. "dropper, 300 peers, seed 1, lookups plain, redundant:4".</summary>
    public required string Title { get; init; }

    /// <summary>The picture (curve.svg, else curve.png), relative to the report.</summary>
    public required string Image { get; init; }

    /// <summary>The table (curve.csv) and the data (curve.json), relative to the report.</summary>
    public required string Csv { get; init; }

    public required string Json { get; init; }

    /// <summary>Correct-answer rate per lookup mode and fraction, as the curve's table has them.</summary>
    public required IReadOnlyList<Point> Points { get; init; }

    public sealed record Point(string LookupMode, double MaliciousFraction, double CorrectAnswerRate, double Analytic);
}
