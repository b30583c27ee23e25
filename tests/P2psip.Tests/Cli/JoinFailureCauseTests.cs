using System.Diagnostics;

namespace P2psip.Tests.Cli;

/// <summary>
/// Issue 14 finding 6: a failed join says why. The causes a peer can know before it sends anything
/// (an identity of another CA, bootstrapping to itself, initial-ttl 0) are refused at start-up by the
/// matrix; here the one it cannot know — its Node-ID already in use by the peer it joins through —
/// comes back with the Attach's cause instead of "the Attach to the admitting peer failed".
/// </summary>
public class JoinFailureCauseTests
{
    [Fact]
    public void Joining_with_a_node_id_in_use_says_why_the_attach_failed()
    {
        using var workspace = new BadInputWorkspace();
        int port = BadInputWorkspace.FreePort();
        var start = new ProcessStartInfo(CliRunner.Dotnet)
        {
            WorkingDirectory = workspace.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { CliRunner.Program, "peer", "--overlay", "ovl", "--identity", "id", "--listen", $"127.0.0.1:{port}", "--first" })
            start.ArgumentList.Add(a);
        using var first = Process.Start(start)!;
        try
        {
            string? line;
            while ((line = first.StandardOutput.ReadLine()) is not null && !line.Contains("running", StringComparison.Ordinal)) { }
            Assert.NotNull(line);

            var (exit, _, error) = CliRunner.Run(workspace.Directory, "sip", "lookup", "--overlay", "ovl", "--identity", "id",
                "--bootstrap", $"127.0.0.1:{port}", "--aor", "peer@bad.test", "--timeout", "60");
            Assert.True(exit == 1, error);
            var last = CliRunner.Lines(error)[^1];
            Assert.Contains($"cannot join through 127.0.0.1:{port}: the Attach to the admitting peer failed: ", last, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }
    }
}
