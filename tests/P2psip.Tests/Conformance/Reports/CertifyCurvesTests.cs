using P2psip.Cli;
using P2psip.Cli.Commands;
using P2psip.Conformance.Reports;
using P2psip.Tests.Cli;

namespace P2psip.Tests.Conformance.Reports;

/// <summary>
/// report.html links the simulator's attack curves (issue 10 item 3): found in --curves DIR or
/// OUT/curves, read before the run, linked by paths relative to the report, shown by a real browser.
/// The curve used is the committed docs/curves/dropper (written by `p2psip sim curve`).
/// </summary>
public class CertifyCurvesTests
{
    private static string CommittedCurve()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "curves", "dropper");
            if (File.Exists(Path.Combine(candidate, "curve.json"))) return candidate;
        }
        throw new InvalidOperationException("docs/curves/dropper not found above the test binaries");
    }

    /// <summary>
    /// A report folder with a curve in OUT/curves/dropper: the committed pictures and table, and a
    /// curve.json of known points (the committed one changes whenever the curve is run again).
    /// </summary>
    private static string OutWithCurve()
    {
        var output = Path.Combine(CliRunner.NewDirectory(), "out");
        var target = Directory.CreateDirectory(Path.Combine(output, CertifyCurves.DefaultFolder, "dropper")).FullName;
        foreach (var file in Directory.GetFiles(CommittedCurve())) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        var curve = new P2psip.Adversary.Personas.PopulationCurve
        {
            Persona = "dropper", Peers = 60, Seed = 1, Lookups = 100,
            Points = [.. new[] { 0, 0.1, 0.2, 0.3, 0.4, 0.5 }.Select(f => new P2psip.Adversary.Personas.CurvePoint
            {
                LookupMode = "plain", MaliciousFraction = f, CorrectAnswerRate = 1 - f, Analytic = Math.Pow(1 - f, 3),
            })],
        };
        File.WriteAllText(Path.Combine(target, "curve.json"), System.Text.Json.JsonSerializer.Serialize(curve));
        return output;
    }

    [Fact]
    public void The_default_folder_is_found_and_linked_by_relative_paths()
    {
        var output = OutWithCurve();
        var curve = Assert.Single(CertifyCurves.Find(null, output, TextWriter.Null));
        Assert.Equal("curves/dropper/curve.svg", curve.Image);
        Assert.Equal("curves/dropper/curve.csv", curve.Csv);
        Assert.StartsWith("dropper, 60 peers, seed 1", curve.Title);
        Assert.Contains(curve.Points, p => p.LookupMode == "plain" && p.MaliciousFraction == 0 && p.CorrectAnswerRate == 1);
        var html = System.Text.Encoding.UTF8.GetString(HtmlReport.Render(SyntheticReport.Every(), curves: [curve]));
        Assert.Contains("<section id=\"curves\">", html);
        Assert.Contains("<img src=\"curves/dropper/curve.svg\"", html);
        // One row per fraction: 0, 0.1, ... 0.5 in the committed curve.
        Assert.Contains("<tr><td>0.5</td>", html);
    }

    [Fact]
    public void No_curve_no_section()
    {
        var output = Path.Combine(CliRunner.NewDirectory(), "out");
        Assert.Empty(CertifyCurves.Find(null, output, TextWriter.Null));
        Assert.DoesNotContain("id=\"curves\"", System.Text.Encoding.UTF8.GetString(HtmlReport.Render(SyntheticReport.Every(), curves: [])));
    }

    [Fact]
    public void A_named_folder_without_a_curve_or_with_a_bad_one_is_one_line_naming_it()
    {
        var directory = CliRunner.NewDirectory();
        var missing = Path.Combine(directory, "nothing");
        Assert.Equal($"--curves {missing}: no such directory", Assert.Throws<CliError>(() => CertifyCurves.Find(missing, directory, TextWriter.Null)).Message);
        var empty = Directory.CreateDirectory(Path.Combine(directory, "empty")).FullName;
        Assert.StartsWith($"--curves {empty}: no curve.json", Assert.Throws<CliError>(() => CertifyCurves.Find(empty, directory, TextWriter.Null)).Message);
        var bad = Directory.CreateDirectory(Path.Combine(directory, "bad")).FullName;
        File.WriteAllText(Path.Combine(bad, "curve.json"), "{ \"persona\": ");
        var error = Assert.Throws<CliError>(() => CertifyCurves.Find(bad, directory, TextWriter.Null)).Message;
        Assert.StartsWith(Path.Combine(bad, "curve.json") + ": not a curve", error);
        Assert.DoesNotContain("\n", error);
    }

    [Fact]
    public void A_bad_curve_in_the_default_folder_is_skipped_with_one_line()
    {
        var output = OutWithCurve();
        var bad = Directory.CreateDirectory(Path.Combine(output, CertifyCurves.DefaultFolder, "broken")).FullName;
        File.WriteAllText(Path.Combine(bad, "curve.json"), "[]");
        var said = new StringWriter();
        var curve = Assert.Single(CertifyCurves.Find(null, output, said));
        Assert.Equal("curves/dropper/curve.svg", curve.Image);
        Assert.Contains("broken", said.ToString());
        Assert.Single(CliRunner.Lines(said.ToString()));
    }

    [Fact]
    [Trait("Category", "Live")]
    public void Certify_exits_2_before_running_on_a_bad_curves_folder()
    {
        var directory = CliRunner.NewDirectory();
        var (exit, _, error) = CliRunner.Run(directory, "certify", "--seed", "7", "--curves", "no-such-folder", "--out", Path.Combine(directory, "out"));
        Assert.Equal(2, exit);
        var line = Assert.Single(CliRunner.ProblemLines(error));
        Assert.Contains("--curves no-such-folder", line);
        Assert.False(Directory.Exists(Path.Combine(directory, "out")), "--out was made before the input was checked");
    }

    [Fact]
    [Trait("Category", "External")]
    public void Chromium_shows_the_curve_linked_from_the_report()
    {
        var output = OutWithCurve();
        var curves = CertifyCurves.Find(null, output, TextWriter.Null);
        ReportSet.Write(output, SyntheticReport.Every(), curves: curves);
        var (dom, log) = HtmlReportInChromiumTests.Open(Path.Combine(output, ReportSet.Html));
        Assert.DoesNotContain("Uncaught", log);
        Assert.Matches($"<html [^>]*{HtmlReport.CurvesShownAttribute}=\"1\"", dom);

        // The check can fail: the same report with the picture gone shows none.
        File.Delete(Path.Combine(output, "curves", "dropper", "curve.svg"));
        var (without, _) = HtmlReportInChromiumTests.Open(Path.Combine(output, ReportSet.Html));
        Assert.Matches($"<html [^>]*{HtmlReport.CurvesShownAttribute}=\"0\"", without);
    }
}
