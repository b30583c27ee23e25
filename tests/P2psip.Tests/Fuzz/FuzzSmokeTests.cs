using System.Diagnostics;
using P2psip.Fuzz.Targets;

namespace P2psip.Tests.Fuzz;

/// <summary>
/// Short AFL++ campaigns through run-fuzz.ps1, as CI runs them. They need afl++ (Debian's package;
/// the script installs it when run as root) and the local tools (<c>dotnet tool restore</c>), and
/// take about a minute each: run them with <c>--filter Category=Fuzz</c>.
/// </summary>
[Trait("Category", "Fuzz")]
public class FuzzSmokeTests
{
    private const int SmokeSeconds = 25;

    [Fact]
    public void Selftest_crash_is_found_triaged_minimised_reproduced_and_kept()
    {
        var output = Directory.CreateTempSubdirectory("p2psip-fuzz-selftest-");
        try
        {
            var regressions = Path.Combine(output.FullName, "kept");
            var run = RunScript("-Target", "selftest-crash", "-Duration", "20", "-Seed", "1",
                "-Output", output.FullName, "-RegressionDir", regressions);
            Assert.True(run.ExitCode == 1, $"expected exit 1 (a crash found), got {run.ExitCode}\n{run.Text}");
            Assert.Contains("TRIAGE target=selftest-crash unique_crashes=1 reproduced=1", run.Text);

            var triaged = Assert.Single(Directory.GetDirectories(Path.Combine(output.FullName, "triage")));
            var minimized = File.ReadAllBytes(Path.Combine(triaged, "minimized.bin"));
            Assert.True(minimized.AsSpan().IndexOf(SelfTestCrashTarget.Marker) >= 0, "the minimised input lost the marker");
            Assert.True(minimized.Length <= File.ReadAllBytes(Path.Combine(triaged, "input.bin")).Length);
            Assert.StartsWith("System.InvalidOperationException @ P2psip.Fuzz.Targets.SelfTestCrashTarget.",
                File.ReadAllText(Path.Combine(triaged, "signature.txt")));
            var kept = Assert.Single(Directory.GetFiles(regressions, "*.bin"));
            Assert.Equal(Path.GetFileName(triaged) + ".bin", Path.GetFileName(kept));

            // The one-line reproduction command the triage printed.
            Assert.Contains($"reproduce: dotnet pwsh ./run-fuzz.ps1 -Target selftest-crash -Reproduce '{Path.Combine(triaged, "minimized.bin")}'", run.Text);
            var reproduce = RunScript("-Target", "selftest-crash", "-NoBuild", "-Reproduce", Path.Combine(triaged, "minimized.bin"));
            Assert.Equal(1, reproduce.ExitCode);
            Assert.Contains("System.InvalidOperationException: self-test marker", reproduce.Text);
        }
        finally { output.Delete(recursive: true); }
    }

    [Theory]
    [InlineData("decode")]
    [InlineData("framing")]
    public void Short_campaign_finds_no_crash(string target)
    {
        var output = Directory.CreateTempSubdirectory($"p2psip-fuzz-{target}-");
        try
        {
            var run = RunScript("-Target", target, "-Duration", SmokeSeconds.ToString(), "-Seed", "1", "-Output", output.FullName);
            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Text}");
            var summary = run.Text.Split('\n').Single(l => l.StartsWith("SUMMARY ", StringComparison.Ordinal));
            Assert.Contains("unique_crashes=0", summary);
            var executions = long.Parse(summary.Split(' ').Single(f => f.StartsWith("executions=", StringComparison.Ordinal))["executions=".Length..]);
            Assert.True(executions > 1000, summary);
            Assert.Contains("No crashes.", run.Text);
        }
        finally { output.Delete(recursive: true); }
    }

    private sealed record ScriptRun(int ExitCode, string Text);

    private static ScriptRun RunScript(params string[] arguments)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["pwsh", "-NoProfile", "-NonInteractive", "-File", "./run-fuzz.ps1", .. arguments])
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"run-fuzz.ps1 {string.Join(' ', arguments)} did not finish in 10 minutes\n{stdout}");
        }
        return new ScriptRun(process.ExitCode, stdout + stderr.Result);
    }
}
