using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using P2psip.Conformance.Catalogue;
using P2psip.Tests.Cli;

namespace P2psip.Tests.Conformance;

/// <summary><c>p2psip certify</c> as a user runs it: bad SUT addresses, and the rerun line of a report.</summary>
[Trait("Category", "Live")]
public class CertifyCliTests
{
    private static int ClosedPort()
    {
        // Bound and released: nothing listens there now.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void An_unreachable_sut_exits_2_with_one_line_and_no_stack_trace()
    {
        var directory = CliRunner.NewDirectory();
        var port = ClosedPort();
        var (exit, _, error) = CliRunner.Run(directory, "certify", "--seed", "7", "--sut", $"127.0.0.1:{port}", "--out", Path.Combine(directory, "out"));
        Assert.Equal(2, exit);
        var lines = CliRunner.ProblemLines(error);
        Assert.True(lines.Length == 1, "stderr:\n" + error);
        Assert.Contains($"127.0.0.1:{port}", lines[0]);
        // Nothing was run: no empty --out folder is left behind.
        Assert.False(Directory.Exists(Path.Combine(directory, "out")), "an empty --out folder was left behind");
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Exception", error);
    }

    [Fact]
    public void A_malformed_sut_address_exits_2_with_one_line_naming_it()
    {
        var directory = CliRunner.NewDirectory();
        var (exit, _, error) = CliRunner.Run(directory, "certify", "--seed", "7", "--sut", "not-an-address", "--out", Path.Combine(directory, "out"));
        Assert.Equal(2, exit);
        var lines = CliRunner.ProblemLines(error);
        Assert.True(lines.Length == 1, "stderr:\n" + error);
        Assert.Contains("--sut", lines[0]);
        Assert.Contains("not-an-address", lines[0]);
    }

    [Fact]
    public void A_reports_rerun_line_reruns_the_case_alone_with_the_same_verdict()
    {
        var directory = CliRunner.NewDirectory();
        var first = Path.Combine(directory, "first");
        var (exit, _, error) = CliRunner.Run(directory, "certify", "--seed", "11", "--case", PcCases.PingAnswered, "TR-2b-01", "--disable", "access-control", "--out", first);
        Assert.True(exit == 1, $"exit {exit}: {error}");
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(first, "report.json")));
        var acl = report.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "TR-2b-01");
        Assert.Equal("fail", acl.GetProperty("verdict").GetString());
        var rerun = acl.GetProperty("rerun").GetString()!;
        Assert.Equal("p2psip certify --case TR-2b-01 --seed 11 --disable access-control", rerun);

        var again = Path.Combine(directory, "again");
        var (rerunExit, _, rerunError) = CliRunner.Run(directory, [.. rerun.Split(' ').Skip(1), "--out", again]);
        Assert.True(rerunExit == 1, $"exit {rerunExit}: {rerunError}");
        using var second = JsonDocument.Parse(File.ReadAllText(Path.Combine(again, "report.json")));
        var only = Assert.Single(second.RootElement.GetProperty("cases").EnumerateArray());
        Assert.Equal("TR-2b-01", only.GetProperty("id").GetString());
        Assert.Equal("fail", only.GetProperty("verdict").GetString());
        Assert.Equal(rerun, only.GetProperty("rerun").GetString());
    }
}
