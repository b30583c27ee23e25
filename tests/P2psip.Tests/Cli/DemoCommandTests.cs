using System.Text.Json;

namespace P2psip.Tests.Cli;

/// <summary>The README's main command: every step passes and the report is written whole.</summary>
public class DemoCommandTests
{
    [Trait("Category", TestCategory.Live)]
    [Trait("Category", TestCategory.ExternalTool)]
    [Trait("Category", TestCategory.Long)]
    [Fact]
    public void Demo_passes_every_step_and_writes_both_reports()
    {
        var dir = Directory.CreateTempSubdirectory("p2psip-demo-");
        try
        {
            var (exit, output, error) = CliRunner.Run(dir.FullName, "demo", "--out", "out");
            Assert.True(exit == 0, output + error);
            Assert.Contains("6 of 6 steps passed", output);
            using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "out", "report.json")));
            Assert.True(report.RootElement.GetProperty("passed").GetBoolean());
            Assert.Equal(6, report.RootElement.GetProperty("steps").GetArrayLength());
            Assert.Contains("[PASS] security", File.ReadAllText(Path.Combine(dir.FullName, "out", "report.txt")));
            Assert.True(File.Exists(Path.Combine(dir.FullName, "out", "seeds.pcap")));
            Assert.Empty(Directory.GetFiles(Path.Combine(dir.FullName, "out"), "*.tmp"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Demo_into_an_unwritable_place_is_one_line_and_exit_2()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (exit, _, error) = CliRunner.Run(Path.GetTempPath(), "demo", "--out", Path.Combine(file, "sub"));
            Assert.Equal(2, exit);
            Assert.Single(error.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
