using P2psip.NetFuzz;
using P2psip.Peer;
using P2psip.Tests.Cli;

namespace P2psip.Tests.NetFuzz;

/// <summary><c>p2psip fuzz</c> and <c>p2psip peer --inject-fault</c> as a user runs them.</summary>
public sealed class FuzzCommandTests
{
    [Theory]
    [InlineData("--seed is required", "fuzz", "--cases", "3")]
    [InlineData("say how many cases", "fuzz", "--seed", "1")]
    [InlineData("--range: '5-2'", "fuzz", "--seed", "1", "--range", "5-2")]
    [InlineData("--shard: '3/3'", "fuzz", "--seed", "1", "--cases", "4", "--shard", "3/3")]
    [InlineData("made by generator 9", "fuzz", "--case", "g9-s1-000001")]
    [InlineData("--case: 'nonsense'", "fuzz", "--case", "nonsense")]
    [InlineData("--target: 'nowhere'", "fuzz", "--seed", "1", "--cases", "2", "--target", "nowhere")]
    [InlineData("--inject-fault: no fault 'nope'", "fuzz", "--seed", "1", "--cases", "2", "--inject-fault", "nope")]
    [InlineData("--rerun", "fuzz", "--rerun", "/nonexistent/failures/g1-s1-000001")]
    [InlineData("--resume", "fuzz", "--resume", "/nonexistent")]
    public void BadUsageIsOneLineAndExitTwo(string says, params string[] arguments)
    {
        var (exit, _, error) = CliRunner.Run(CliRunner.NewDirectory(), arguments);
        Assert.Equal(2, exit);
        var line = Assert.Single(CliRunner.Lines(error), l => !l.StartsWith("p2psip fuzz: target", StringComparison.Ordinal));
        Assert.Contains(says, line, StringComparison.Ordinal);
    }

    [Fact]
    public void PeerListsTheInjectedFaults()
    {
        var (exit, output, _) = CliRunner.Run(CliRunner.NewDirectory(), "peer", "--inject-fault", "list");
        Assert.Equal(0, exit);
        foreach (var fault in InjectedFault.Catalogue) Assert.Contains(fault.Name, output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategory.Live)]
    public void SutCommandPeerThatCrashesIsRestartedAndTheCampaignGoesOn()
    {
        var dir = CliRunner.NewDirectory();
        Assert.Equal(0, CliRunner.Run(dir, "certify", "init", "--dir", "lab", "--seed", "9").ExitCode);
        var fault = InjectedFault.Catalogue.First(f => f.Effect == InjectedFaultEffect.Crash);
        long first = new FuzzTestLab(1).FirstTripping(fault, 3000);
        var command = $"'{CliRunner.Dotnet}' '{CliRunner.Program}' peer --overlay {{lab}} --identity {{identity}} --listen {{listen}} --first --inject-fault {fault.Name}";
        var (exit, output, error) = CliRunner.Run(dir, "fuzz", "--lab", "lab", "--seed", "1", "--range", $"{first - 2}-{first + 2}", "--sut-command", command, "--out", "campaign", "--no-minimise");
        Assert.True(exit == 1, $"exit {exit}: {output} {error}");
        Assert.Contains("SUMMARY cases=5 ", output, StringComparison.Ordinal);
        Assert.Contains("failures=1 restarts=2", output, StringComparison.Ordinal);
        var failure = Assert.Single(Directory.GetDirectories(Path.Combine(dir, "campaign", "failures")));
        var rerun = CliRunner.Run(dir, "fuzz", "--rerun", failure);
        Assert.True(rerun.ExitCode == 1, $"exit {rerun.ExitCode}: {rerun.Output} {rerun.Error}");
        Assert.Contains("reproduced", rerun.Output, StringComparison.Ordinal);
    }
}
