using System.Diagnostics;
using P2psip.Fuzz.Targets;

namespace P2psip.Tests.Fuzz;

/// <summary>
/// Short AFL++ campaigns through run-fuzz.ps1, as CI runs them. They need afl++ (Debian's package;
/// the script installs it when run as root) and the local tools (<c>dotnet tool restore</c>), and
/// take about a minute each: run them with <c>--filter Category=Fuzz</c>. The first campaign of a
/// run builds harness/P2psip.Fuzz, the others reuse that build (<c>-NoBuild</c>). The ci profile
/// (<see cref="TestProfile"/>) shortens the campaigns of the fast codec targets only (tens of
/// thousands of executions a second, so 10 s is still far above the 1,000 asserted); the peer
/// targets (slow: a ring per input, signatures) and the self-test keep their durations, because the
/// self-test's resumption after its stack-overflow marker kills the target needs time left.
/// </summary>
[Trait("Category", TestCategory.Fuzz)]
public class FuzzSmokeTests
{
    // Long enough on a loaded 2-core machine for both markers, the stack overflow restarting the instance with time left.
    private const int SelfTestSeconds = 40;
    private static bool _built;

    private static int SmokeSeconds(string target) => target is "decode" or "framing" ? TestProfile.Pick(full: 25, ci: 10) : 25;

    [Fact]
    public void Selftest_crash_is_found_triaged_minimised_reproduced_and_kept()
    {
        var output = Directory.CreateTempSubdirectory("p2psip-fuzz-selftest-");
        try
        {
            var regressions = Path.Combine(output.FullName, "kept");
            var run = RunScript("-Target", "selftest-crash", "-Duration", SelfTestSeconds.ToString(), "-Seed", "1",
                "-Output", output.FullName, "-RegressionDir", regressions);
            Assert.True(run.ExitCode == 1, $"expected exit 1 (a crash found), got {run.ExitCode}\n{run.Text}");
            // Both markers: an exception, and a stack overflow that kills the process (kept from .cur_input).
            Assert.Contains("TRIAGE target=selftest-crash signatures=2 reproduced=2", run.Text);

            var triaged = Directory.GetDirectories(Path.Combine(output.FullName, "triage"))
                .ToDictionary(d => File.ReadAllText(Path.Combine(d, "signature.txt")).Trim(), d => d);
            Assert.Equal(2, triaged.Count);
            var exception = Assert.Single(triaged, t => t.Key.StartsWith("System.InvalidOperationException @ P2psip.Fuzz.Targets.SelfTestCrashTarget.", StringComparison.Ordinal)).Value;
            var overflow = Assert.Single(triaged, t => t.Key.StartsWith("process died", StringComparison.Ordinal)).Value;
            Assert.Contains("SelfTestCrashTarget.Recurse", File.ReadAllText(Path.Combine(overflow, "signature.txt")));

            var minimized = File.ReadAllBytes(Path.Combine(exception, "minimized.bin"));
            Assert.True(minimized.AsSpan().IndexOf(SelfTestCrashTarget.Marker) >= 0, "the minimised input lost the marker");
            Assert.True(minimized.Length <= File.ReadAllBytes(Path.Combine(exception, "input.bin")).Length);
            Assert.True(File.ReadAllBytes(Path.Combine(overflow, "minimized.bin")).AsSpan().IndexOf(SelfTestCrashTarget.OverflowMarker) >= 0);
            var kept = Directory.GetFiles(regressions, "*.bin").Select(Path.GetFileName).Order().ToArray();
            Assert.Equal(triaged.Values.Select(d => Path.GetFileName(d) + ".bin").Order().ToArray(), kept);

            // The one-line reproduction command the triage printed.
            var minimizedPath = Path.Combine(exception, "minimized.bin");
            Assert.Contains($"reproduce: dotnet pwsh ./run-fuzz.ps1 -Target selftest-crash -Reproduce '{minimizedPath}'", run.Text);
            var reproduce = RunScript("-Target", "selftest-crash", "-NoBuild", "-Reproduce", minimizedPath);
            Assert.Equal(1, reproduce.ExitCode);
            Assert.Contains("System.InvalidOperationException: self-test marker", reproduce.Text);
            var reproduceOverflow = RunScript("-Target", "selftest-crash", "-NoBuild", "-Reproduce", Path.Combine(overflow, "minimized.bin"));
            Assert.NotEqual(0, reproduceOverflow.ExitCode);
            Assert.Contains("Stack overflow", reproduceOverflow.Text);
        }
        finally { output.Delete(recursive: true); }
    }

    [Theory]
    [InlineData("decode")]
    [InlineData("framing")]
    [InlineData("peer")]
    [InlineData("peer-resign")]
    public void Short_campaign_finds_no_crash(string target)
    {
        var output = Directory.CreateTempSubdirectory($"p2psip-fuzz-{target}-");
        try
        {
            var run = RunScript("-Target", target, "-Duration", SmokeSeconds(target).ToString(), "-Seed", "1", "-Output", output.FullName);
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
        bool building = !_built && !arguments.Contains("-NoBuild");
        if (!building && !arguments.Contains("-NoBuild")) psi.ArgumentList.Add("-NoBuild");
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"run-fuzz.ps1 {string.Join(' ', arguments)} did not finish in 10 minutes\n{stdout}");
        }
        // Once a campaign got past the build (exit 0 no crash, 1 crashes; 2 is a set-up error), later ones reuse it.
        if (building && process.ExitCode is 0 or 1) _built = true;
        return new ScriptRun(process.ExitCode, stdout + stderr.Result);
    }
}
