using System.Text.Json;
using P2psip.Conformance.Catalogue;
using P2psip.Tests.Capture;
using P2psip.Tests.Cli;

namespace P2psip.Tests.Conformance;

/// <summary>
/// Issue 9: each case of <c>p2psip certify</c> keeps its own capture, named in report.json, that
/// tshark's reload-framing and reload dissectors decode with no settings — a message code on every
/// DATA frame and nothing malformed — over TLS (synthetic TCP) and DTLS (UDP) links alike.
/// </summary>
[Trait("Category", "Live")]
[Trait("Category", "External")]
public class PerCaseCaptureTests
{
    [Theory]
    [InlineData("tls")]
    [InlineData("dtls")]
    public void Every_case_capture_is_named_in_the_report_and_decodes_in_tshark(string transport)
    {
        var directory = CliRunner.NewDirectory();
        var output = Path.Combine(directory, "out");
        var (exit, _, error) = CliRunner.Run(directory, "certify", "--seed", "5", "--transport", transport,
            "--case", PcCases.PingAnswered, "TR-2b-01", "--out", output);
        Assert.True(exit == 0, $"exit {exit}: {error}");
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var captures = report.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetString()!, Capture: c.GetProperty("evidence").GetProperty("capture").GetString()))
            .ToList();
        Assert.Equal(2, captures.Count);
        foreach (var (id, capture) in captures)
        {
            Assert.False(capture is null, $"{id}: no capture named in report.json");
            var path = Path.Combine(output, capture!);
            Assert.True(File.Exists(path), $"{id}: {path} named in the report does not exist");
            var (data, problems) = TsharkFrameCheck.Run(path);
            Assert.True(problems.Count == 0, $"{id} ({transport}): " + string.Join("; ", problems));
            Assert.True(data >= 2, $"{id} ({transport}): tshark saw {data} DATA frames; a case sends at least a request and reads its answer");
        }
    }
}
