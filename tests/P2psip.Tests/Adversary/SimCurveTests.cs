using System.Text.Json;
using P2psip.Adversary.Personas;
using P2psip.Tests.Cli;

namespace P2psip.Tests.Adversary;

/// <summary>Issue 10, item 3: <c>p2psip sim curve</c> and the malicious-population options of <c>p2psip sim</c>.</summary>
public class SimCurveTests
{
    private static (int Exit, string Output, string Error) RunCli(params string[] args) => CliRunner.Run(Path.GetTempPath(), args);

    private static PopulationOptions Template => new() { Peers = 20, Seed = 5, Lookups = 20, Persona = "dropper" };

    [Fact]
    public void TheSameSeedGivesTheSameCurvePoints()
    {
        var first = PopulationCurve.Run(Template, [0, 0.2], ["plain"]);
        var second = PopulationCurve.Run(Template, [0, 0.2], ["plain"]);
        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.Equal(2, first.Points.Count);
        Assert.Equal(1.0, first.Points[0].CorrectAnswerRate);
        Assert.Equal(1.0, first.Points[0].Analytic);
        Assert.Equal(Math.Round(Math.Pow(0.8, first.HopsAtZero), 6), first.Points[1].Analytic);
    }

    [Fact]
    [Trait("Category", TestCategory.Long)]
    public void SimCurveWritesATableAndRealPngAndSvgPlots()
    {
        var dir = Path.Combine(Path.GetTempPath(), "p2psip-curve-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, output, error) = RunCli("sim", "curve", "--peers", "16", "--seed", "3", "--persona", "dropper", "--fractions", "0,0.25", "--lookups", "10", "--out", dir);
            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "curve.json")));
            Assert.Equal(2, json.RootElement.GetProperty("points").GetArrayLength());
            Assert.Equal(output.Trim(), File.ReadAllText(Path.Combine(dir, "curve.json")).Trim());
            var csv = File.ReadAllLines(Path.Combine(dir, "curve.csv"));
            Assert.StartsWith("persona,lookupMode,maliciousFraction,correctAnswerRate", csv[0]);
            Assert.Equal(3, csv.Length);
            var png = File.ReadAllBytes(Path.Combine(dir, "curve.png"));
            Assert.True(png.Length > 1000, $"{png.Length} bytes");
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
            var svg = File.ReadAllText(Path.Combine(dir, "curve.svg"));
            Assert.Contains("<svg", svg[..Math.Min(200, svg.Length)]);
            Assert.EndsWith("</svg>", svg.TrimEnd());
            Assert.Contains("correct-answer rate", svg);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SimCurveRefusesAnUnknownLookupModeBeforeRunningAnything()
    {
        var dir = Path.Combine(Path.GetTempPath(), "p2psip-curve-" + Guid.NewGuid().ToString("N"));
        var (exit, _, error) = RunCli("sim", "curve", "--peers", "16", "--persona", "dropper", "--lookup", "plain,redundant:40", "--out", dir);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("--lookup: unknown lookup mode: 'redundant:40': redundant:d needs 2 <= d <= 16", error.Trim());
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void TheSameSeedGivesTheSameCurvePointsInBothModes()
    {
        var first = PopulationCurve.Run(Template, [0, 0.2], ["plain", "redundant:4"]);
        var second = PopulationCurve.Run(Template, [0, 0.2], ["plain", "redundant:4"]);
        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.Equal(4, first.Points.Count);
        Assert.All(first.Points.Where(p => p.MaliciousFraction == 0), p => Assert.Equal(1.0, p.CorrectAnswerRate));
    }

    [Fact]
    public void SimWithAMaliciousPopulationPrintsTheNewFields()
    {
        var (exit, output, error) = RunCli("sim", "--peers", "20", "--seed", "4", "--lookups", "20", "--malicious", "0.2", "--persona", "dropper");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(0.2, root.GetProperty("maliciousFraction").GetDouble());
        Assert.Equal("dropper", root.GetProperty("persona").GetString());
        Assert.Equal("plain", root.GetProperty("lookupMode").GetString());
        foreach (var field in new[] { "correctAnswerRate", "wrongAnswerRate", "noAnswerRate", "meanHops", "messagesPerLookup", "attackerTableShare" })
            Assert.InRange(root.GetProperty(field).GetDouble(), 0, 100);
        Assert.True(root.GetProperty("simulatedMessages").GetInt64() > root.GetProperty("messagesToBuild").GetInt64());
    }

    [Theory]
    [InlineData("--persona", "no-such-persona", "--persona: unknown persona 'no-such-persona'")]
    [InlineData("--malicious", "1.5", "--malicious 1.5: the fraction must be at least 0 and below 1")]
    [InlineData("--lookup", "sideways", "--lookup: unknown lookup mode: 'sideways' is not a lookup mode")]
    [InlineData("--placement", "middle", "--placement: placement 'middle': expected random or victim:HEX")]
    public void SimRefusesABadPopulationOptionInOneLine(string option, string value, string message)
    {
        var args = new List<string> { "sim", "--peers", "10", "--malicious", "0.1", "--persona", "dropper" };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);
        var (exit, output, error) = RunCli([.. args]);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(message, error);
    }
}
