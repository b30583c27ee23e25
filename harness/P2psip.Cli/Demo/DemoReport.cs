using System.Text;
using System.Text.Json;

namespace P2psip.Cli.Demo;

/// <summary>The demonstration's report: a text page and a JSON document, each written whole or not at all.</summary>
internal static class DemoReport
{
    public static void Write(string directory, IReadOnlyList<DemoStep> steps, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine($"p2psip demonstration — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z, {elapsed.TotalSeconds:F1} s");
        foreach (var step in steps)
        {
            text.AppendLine($"[{(step.Passed ? "PASS" : "FAIL")}] {step.Name}");
            foreach (var line in step.Evidence) text.AppendLine("       " + line);
        }
        text.AppendLine($"{steps.Count(s => s.Passed)} of {steps.Count} steps passed");
        AtomicFile.Write(Path.Combine(directory, "report.txt"), temp => File.WriteAllText(temp, text.ToString()));

        var json = JsonSerializer.Serialize(new
        {
            elapsed_seconds = Math.Round(elapsed.TotalSeconds, 2),
            passed = steps.All(s => s.Passed),
            steps = steps.Select(s => new { name = s.Name, passed = s.Passed, evidence = s.Evidence }),
        }, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(Path.Combine(directory, "report.json"), temp => File.WriteAllText(temp, json));
    }
}
