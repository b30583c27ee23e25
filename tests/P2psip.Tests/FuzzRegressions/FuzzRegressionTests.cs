using P2psip.Fuzz;
using P2psip.Fuzz.Targets;
using P2psip.Tests.Fuzz;

namespace P2psip.Tests.FuzzRegressions;

/// <summary>
/// Every input a fuzz campaign found crashing is kept in FuzzRegressions/&lt;target&gt;/ (run-fuzz.ps1
/// copies it there after triage) and must now go through the same target code without an exception.
/// </summary>
public class FuzzRegressionTests
{
    public static TheoryData<string> Targets()
    {
        var data = new TheoryData<string>();
        foreach (var target in FuzzTargets.All.Where(t => !t.IsTestOnly)) data.Add(target.Name);
        return data;
    }

    internal static IEnumerable<string> KeptInputs(string target)
    {
        var dir = Path.Combine(RepositoryRoot.Path, "tests", "P2psip.Tests", "FuzzRegressions", target);
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.bin").Order(StringComparer.Ordinal) : [];
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Kept_crash_inputs_replay_clean(string targetName)
    {
        var target = FuzzTargets.Find(targetName)!;
        var failures = new List<string>();
        foreach (var file in KeptInputs(targetName))
        {
            // Through the reproducer, so that a kept hang fails after its time limit instead of hanging the run.
            var outcome = Reproducer.Classify(target, File.ReadAllBytes(file));
            if (outcome.Hung || outcome.Exception is not null)
                failures.Add($"{Path.GetFileName(file)}: {(outcome.Hung ? "hang" : $"{outcome.Exception!.GetType().Name}: {outcome.Exception.Message}")}");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
