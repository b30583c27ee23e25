using System.Text.Json;
using P2psip.Peer;
using P2psip.Tests.Cli;

namespace P2psip.Tests.NetFuzz;

/// <summary><c>p2psip certify --inject-fault</c> (issue 12 item 6): the planted defect fails the case that trips it, loudly.</summary>
[Trait("Category", TestCategory.Live)]
public sealed class CertifyInjectedFaultTests
{
    private const string FloodOfLeaves = "UN-5-02";

    private static (int Exit, string Error, JsonElement Case, string Sut) Certify(string directory, string name, params string[] more)
    {
        var output = Path.Combine(directory, name);
        var (exit, _, error) = CliRunner.Run(directory, ["certify", "--seed", "5", "--case", FloodOfLeaves, "--out", output, .. more]);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var found = report.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == FloodOfLeaves).Clone();
        return (exit, error, found, report.RootElement.GetProperty("sut").GetProperty("description").GetString()!);
    }

    [Fact]
    public void CertifyWithAFaultFailsTheCaseThatTripsItAndSaysSo()
    {
        var directory = CliRunner.NewDirectory();
        var fault = InjectedFault.Catalogue.First(f => f.Times > 1);
        var clean = Certify(directory, "clean");
        Assert.Equal("pass", clean.Case.GetProperty("verdict").GetString());
        Assert.DoesNotContain("INJECTED FAULT", clean.Sut, StringComparison.Ordinal);

        var broken = Certify(directory, "broken", "--inject-fault", fault.Name);
        Assert.NotEqual(0, broken.Exit);
        Assert.Contains(broken.Case.GetProperty("verdict").GetString(), new[] { "crash", "fail" });
        Assert.Contains($"INJECTED FAULT {fault.Name}", broken.Sut, StringComparison.Ordinal);
        Assert.Contains(fault.Banner, broken.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--inject-fault: no fault 'nope'", "--inject-fault", "nope")]
    [InlineData("it takes no --sut", "--inject-fault", "crash-on-third-leave", "--sut", "127.0.0.1:1")]
    public void BadFaultUsageIsOneLineAndExitTwo(string says, params string[] arguments)
    {
        var (exit, _, error) = CliRunner.Run(CliRunner.NewDirectory(), ["certify", "--seed", "1", .. arguments]);
        Assert.Equal(2, exit);
        Assert.Contains(says, Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
    }

    [Fact]
    public void CertifyListsTheFaults()
    {
        var (exit, output, _) = CliRunner.Run(CliRunner.NewDirectory(), "certify", "--inject-fault", "list");
        Assert.Equal(0, exit);
        foreach (var fault in InjectedFault.Catalogue) Assert.Contains(fault.Name, output, StringComparison.Ordinal);
    }
}
