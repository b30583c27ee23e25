using P2psip.Adversary.Personas;
using ScottPlot;

namespace P2psip.Cli.Commands;

/// <summary>The plot of a <see cref="PopulationCurve"/> (ScottPlot): correct-answer rate against F per lookup mode, and (1−F)^h dashed.</summary>
internal static class CurvePlot
{
    public const int Width = 800, Height = 500;

    public static Plot Build(PopulationCurve curve)
    {
        var plot = new Plot();
        foreach (var mode in curve.Points.Select(p => p.LookupMode).Distinct())
        {
            var points = curve.Points.Where(p => p.LookupMode == mode).OrderBy(p => p.MaliciousFraction).ToList();
            var line = plot.Add.Scatter(points.Select(p => p.MaliciousFraction).ToArray(), points.Select(p => p.CorrectAnswerRate).ToArray());
            line.LegendText = $"{mode} lookups (measured)";
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }
        double max = curve.Points.Count == 0 ? 0.5 : Math.Max(0.05, curve.Points.Max(p => p.MaliciousFraction));
        var xs = Enumerable.Range(0, 51).Select(i => max * i / 50).ToArray();
        var analytic = plot.Add.Scatter(xs, xs.Select(f => Math.Pow(1 - f, curve.HopsAtZero)).ToArray());
        analytic.LegendText = FormattableString.Invariant($"(1-F)^h, h = {curve.HopsAtZero:0.##} (mean hops at F = 0)");
        analytic.LinePattern = LinePattern.Dashed;
        analytic.MarkerSize = 0;
        analytic.LineWidth = 2;
        plot.Title($"{curve.Persona}: {curve.Peers} peers, seed {curve.Seed}, {curve.Lookups} lookups per point");
        plot.XLabel("malicious fraction F");
        plot.YLabel("correct-answer rate");
        plot.Axes.SetLimits(0, max, 0, 1.05);
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }
}
