using P2psip.Tests.Capture;

namespace P2psip.Tests.Cli;

/// <summary>
/// Issue 14 findings 5 and 10: a wait on the network says what it waits for after about two seconds
/// and names the step that timed out; <c>sim</c> says what a ring will cost before it starts and
/// refuses one this machine cannot hold.
/// </summary>
public class WaitAndScaleTests
{
    [Fact]
    public void A_silent_enrollment_server_is_announced_then_named_when_the_deadline_passes()
    {
        using var workspace = new BadInputWorkspace();
        var (exit, _, error) = CliRunner.Run(workspace.Directory, workspace.Expand(["enroll", "request", "--server", "https://127.0.0.1:{silent}",
            "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--root", "ovl/ca-cert.pem", "--timeout", "4"]));
        Assert.Equal(2, exit);
        var lines = CliRunner.Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("p2psip enroll request: waiting for the configuration document (GET https://127.0.0.1:", lines[0], StringComparison.Ordinal);
        Assert.Contains("timed out after 4 s waiting for the configuration document", lines[1], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workspace.Directory, "me")));
    }

    [Fact]
    public void A_silent_bootstrap_names_the_join_step_that_timed_out()
    {
        using var workspace = new BadInputWorkspace();
        var (exit, _, error) = CliRunner.Run(workspace.Directory, workspace.Expand(["sip", "lookup", "--overlay", "ovl", "--identity", "id",
            "--bootstrap", "127.0.0.1:{silent}", "--aor", "peer@bad.test", "--timeout", "4"]));
        Assert.Equal(2, exit);
        var lines = CliRunner.Lines(error);
        Assert.StartsWith("p2psip sip lookup: waiting for a link to the bootstrap peer", lines[0], StringComparison.Ordinal);
        Assert.Contains("timed out after 4 s waiting for a link to the bootstrap peer", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Sim_says_the_expected_cost_before_it_starts()
    {
        var (exit, _, error) = CliRunner.Run(CliRunner.NewDirectory(), "sim", "--peers", "20", "--lookups", "10", "--seed", "3");
        Assert.Equal(0, exit);
        Assert.Matches(@"^p2psip sim: 20 peers, seed 3: about \d+ s to build and [\d,]+ MB of memory$", CliRunner.Lines(error)[0]);
    }

    [Fact]
    public void Sim_refuses_a_ring_the_memory_cannot_hold()
    {
        // A 512 MB heap limit stands for a small machine.
        var (exit, output, error) = ExternalTool.Run("env", ["DOTNET_GCHeapHardLimit=0x20000000", CliRunner.Dotnet, CliRunner.Program, "sim", "--peers", "100000"],
            TimeSpan.FromMinutes(1), CliRunner.NewDirectory());
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.Contains("--peers 100000: needs about", line, StringComparison.Ordinal);
        Assert.Contains("more than this machine can give", line, StringComparison.Ordinal);
    }
}
