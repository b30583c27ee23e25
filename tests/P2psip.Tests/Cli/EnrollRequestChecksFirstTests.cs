using System.Net;
using P2psip.Overlay;
using P2psip.Security;

namespace P2psip.Tests.Cli;

/// <summary>
/// Issue 14 finding 3: <c>enroll request</c> checks its destination before it asks the server, so a
/// refused --out burns none of the user's Node-IDs and an existing identity is never replaced
/// without --force; and finding 6: a wrong --root is named as such, once.
/// </summary>
public class EnrollRequestChecksFirstTests
{
    [Fact]
    public async Task A_bad_destination_burns_no_node_id_and_an_identity_is_kept_without_force()
    {
        using var workspace = new BadInputWorkspace();
        var dir = workspace.Directory;
        var ca = EnrollmentAuthority.Load(Path.Combine(dir, "ovl"));
        await using var server = new EnrollmentServer(ca, OverlayDocument.Load(Path.Combine(dir, "ovl", OverlayDirectory.ConfigurationFile)));
        var url = (await server.StartAsync(new IPEndPoint(IPAddress.Loopback, 0))).ToString();
        string[] Request(string output, params string[] more) =>
            ["enroll", "request", "--server", url, "--user", "ann@" + BadInputWorkspace.Overlay, "--password", "pw", "--root", "ovl/ca-cert.pem", "--out", output, .. more];
        var identityBefore = File.ReadAllText(Path.Combine(dir, "id", Identity.KeyFile));

        foreach (var (output, says) in new[] { ("good.bin", "not a folder"), ("id", "already holds an identity"), ("/dev/full", "not a folder") })
        {
            var (exit, _, error) = CliRunner.Run(dir, Request(output));
            Assert.Equal(2, exit);
            Assert.Contains(says, Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        }
        // The server was never asked: the user still has the whole cap.
        Assert.Empty(ca.NodeIdsOf("ann@" + BadInputWorkspace.Overlay));
        Assert.Equal(identityBefore, File.ReadAllText(Path.Combine(dir, "id", Identity.KeyFile)));

        // A wrong --root: the server's certificate is said not to be issued by it, the path printed once.
        var (wrongExit, _, wrongError) = CliRunner.Run(dir, ["enroll", "request", "--server", url, "--user", "ann@" + BadInputWorkspace.Overlay, "--password", "pw",
            "--root", "id-other-ca/cert.pem", "--out", "me"]);
        Assert.Equal(2, wrongExit);
        var line = Assert.Single(CliRunner.ProblemLines(wrongError));
        Assert.Contains("not issued by --root id-other-ca/cert.pem", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "me")));

        // --force replaces the identity, whole: key, certificate and overlay.xml together.
        var (forced, _, forcedError) = CliRunner.Run(dir, Request("id", "--force"));
        Assert.True(forced == 0, forcedError);
        Assert.NotEqual(identityBefore, File.ReadAllText(Path.Combine(dir, "id", Identity.KeyFile)));
        Assert.Single(ca.NodeIdsOf("ann@" + BadInputWorkspace.Overlay));
        var enrolled = Identity.Load(Path.Combine(dir, "id"));
        Assert.Equal(ca.NodeIdsOf("ann@" + BadInputWorkspace.Overlay)[0], enrolled.NodeId.ToHex());
        Assert.Empty(Directory.GetFiles(Path.Combine(dir, "id"), ".*"));
    }
}
