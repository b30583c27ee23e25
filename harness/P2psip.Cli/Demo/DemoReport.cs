using System.Text;
using System.Text.Json;
using P2psip.Cli.Files;

namespace P2psip.Cli.Demo;

/// <summary>The demonstration's report: a text page and a JSON document, staged with the corpus and the capture so the demo's output set is complete or absent.</summary>
internal static class DemoReport
{
    public const string TextFile = "report.txt", JsonFile = "report.json";

    public static void Stage(string directory, IReadOnlyList<DemoStep> steps, TimeSpan elapsed, OutputSet outputs)
    {
        var text = new StringBuilder();
        text.AppendLine($"p2psip demonstration — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z, {elapsed.TotalSeconds:F1} s");
        text.AppendLine(BuildInfo.VersionLine);
        foreach (var step in steps)
        {
            text.AppendLine($"[{(step.Passed ? "PASS" : "FAIL")}] {step.Name}");
            foreach (var line in step.Evidence) text.AppendLine("       " + line);
        }
        text.AppendLine($"{steps.Count(s => s.Passed)} of {steps.Count} steps passed");
        outputs.AddText(Path.Combine(directory, TextFile), text.ToString());

        var json = JsonSerializer.Serialize(new
        {
            version = BuildInfo.Version,
            commit = BuildInfo.Commit,
            elapsed_seconds = Math.Round(elapsed.TotalSeconds, 2),
            passed = steps.All(s => s.Passed),
            steps = steps.Select(s => new { name = s.Name, passed = s.Passed, evidence = s.Evidence }),
        }, new JsonSerializerOptions { WriteIndented = true });
        outputs.AddText(Path.Combine(directory, JsonFile), json);
    }
}
