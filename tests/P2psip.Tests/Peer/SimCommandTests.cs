using System.Diagnostics;
using System.Text.Json;

namespace P2psip.Tests.Peer;

/// <summary><c>p2psip sim</c> end to end: the JSON report of a small simulated ring.</summary>
public class SimCommandTests
{
    private static (int Exit, string Output, string Error) RunCli(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "p2psip.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "p2psip sim did not finish");
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void SimPrintsAJsonReportWithItsSeed()
    {
        var (exit, output, error) = RunCli("sim", "--peers", "24", "--seed", "5", "--lookups", "100");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(24, root.GetProperty("peers").GetInt32());
        Assert.Equal(5, root.GetProperty("seed").GetInt32());
        Assert.Equal(24, root.GetProperty("correctSuccessors").GetInt32());
        Assert.Equal(1.0, root.GetProperty("lookupSuccessRate").GetDouble());
        Assert.InRange(root.GetProperty("meanHops").GetDouble(), 1, Math.Log2(24) + 1);
        Assert.Contains("message-signatures", root.GetProperty("defencesOff").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("off", root.GetProperty("signatures").GetString());
        Assert.Contains("seed 5", error);
    }

    [Fact]
    public void SimSaysWhichJoinModeBuiltTheRingAndBothGiveTheSameResult()
    {
        JsonElement Report(params string[] extra)
        {
            var (exit, output, error) = RunCli(["sim", "--peers", "40", "--seed", "8", "--lookups", "100", .. extra]);
            Assert.True(exit == 0, error);
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        var joined = Report();
        var bulk = Report("--bulk-join");
        Assert.Equal("protocol", joined.GetProperty("joinMode").GetString());
        Assert.Equal("bulk", bulk.GetProperty("joinMode").GetString());
        foreach (var field in new[] { "joined", "correctSuccessors", "correctPredecessors", "lookupSuccessRate" })
            Assert.Equal(joined.GetProperty(field).GetDouble(), bulk.GetProperty(field).GetDouble());
        // Placing peers costs a few Updates each, not the joins' Attaches, Joins and finger searches.
        Assert.True(bulk.GetProperty("messagesToBuild").GetInt64() < joined.GetProperty("messagesToBuild").GetInt64() / 2);
    }

    [Fact]
    public void SimCurveRefusesAPersonaTheSimulatorCannotGiveIdentitiesToInOneLine()
    {
        var dir = Path.Combine(Path.GetTempPath(), "p2psip-tests", "imp-" + Guid.NewGuid().ToString("N"));
        var (exit, _, error) = RunCli("sim", "curve", "--peers", "20", "--persona", "impostor", "--fractions", "0,0.1", "--out", dir);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("--persona impostor: not available in the simulator", error);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void SimRefusesAnUnknownDefence()
    {
        var (exit, _, error) = RunCli("sim", "--peers", "2", "--disable", "no-such-defence");
        Assert.Equal(2, exit);
        Assert.Contains("unknown defence 'no-such-defence'", error);
    }

    [Fact]
    public void SimLookupModesReportTheirModeAnswersAndMessages()
    {
        double Messages(string mode)
        {
            var (exit, output, error) = RunCli("sim", "--peers", "60", "--seed", "6", "--lookups", "200", "--lookup", mode);
            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            Assert.Equal(mode, root.GetProperty("lookupMode").GetString());
            Assert.Equal(200, root.GetProperty("verifiedLookups").GetInt32());
            Assert.Equal(1.0, root.GetProperty("correctAnswerRate").GetDouble());
            Assert.Equal(0.0, root.GetProperty("wrongAnswerRate").GetDouble());
            Assert.Equal(0.0, root.GetProperty("noAnswerRate").GetDouble());
            return root.GetProperty("messagesPerVerifiedLookup").GetDouble();
        }
        double plain = Messages("plain"), redundant = Messages("redundant:2");
        Assert.InRange(redundant, plain * 1.5, plain * 4);
    }

    [Fact]
    public void SimWithoutLookupSaysPlainAndAddsNoVerifiedFigures()
    {
        var (exit, output, error) = RunCli("sim", "--peers", "8", "--seed", "5", "--lookups", "20");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("plain", json.RootElement.GetProperty("lookupMode").GetString());
        Assert.False(json.RootElement.TryGetProperty("correctAnswerRate", out _));
    }

    [Theory]
    [InlineData("fastest")]
    [InlineData("redundant:1")]
    [InlineData("redundant:x")]
    public void SimRefusesABadLookupMode(string mode)
    {
        var (exit, output, error) = RunCli("sim", "--peers", "2", "--lookup", mode);
        Assert.Equal(2, exit);
        Assert.Contains("--lookup", error);
        Assert.Equal("", output);
    }
}
