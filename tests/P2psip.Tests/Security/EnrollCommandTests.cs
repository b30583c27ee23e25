using System.Diagnostics;
using P2psip.Overlay;
using P2psip.Security;
using P2psip.Tests.Cli;

namespace P2psip.Tests.Security;

/// <summary>The overlay and enroll verbs, run as a user would: init, add-user, serve, request.</summary>
[Trait("Category", TestCategory.Live)]
public class EnrollCommandTests
{
    [Trait("Category", TestCategory.Long)]
    [Fact]
    public void Create_an_overlay_serve_it_and_enroll()
    {
        var dir = CliRunner.NewDirectory();
        var (exit, output, error) = CliRunner.Run(dir, "overlay", "init", "--name", "cli.overlay", "--dir", "ovl", "--max-nodes-per-user", "2");
        Assert.True(exit == 0, error);
        Assert.Contains("created overlay cli.overlay", output);
        var config = OverlayDocument.Load(Path.Combine(dir, "ovl", "overlay.xml")).Configurations[0].Configuration;
        Assert.Equal("cli.overlay", config.InstanceName);
        Assert.Single(config.RootCertificates);
        Assert.Equal(OverlayConfiguration.DefaultKinds, config.RequiredKinds);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "ovl", "ca-key.pem")));

        (exit, _, error) = CliRunner.Run(dir, "overlay", "init", "--name", "cli.overlay", "--dir", "ovl");
        Assert.Equal(2, exit);
        Assert.Single(CliRunner.Lines(error));

        (exit, _, error) = CliRunner.Run(dir, "overlay", "add-user", "--dir", "ovl", "--user", "ann@cli.overlay", "--password", "pw");
        Assert.True(exit == 0, error);
        (exit, _, error) = CliRunner.Run(dir, "overlay", "add-user", "--dir", "ovl", "--user", "bad name", "--password", "pw");
        Assert.Equal(2, exit);
        Assert.Equal(["p2psip: a user name may contain only printable ASCII without spaces"], CliRunner.Lines(error));

        using var server = StartServer(dir, out var url);
        try
        {
            (exit, output, error) = CliRunner.Run(dir, "enroll", "request", "--server", url, "--user", "ann@cli.overlay", "--password", "pw",
                "--out", "ann", "--nodes", "2", "--root", Path.Combine("ovl", "ca-cert.pem"));
            Assert.True(exit == 0, error);
            var ann = Identity.Load(Path.Combine(dir, "ann"));
            Assert.Equal(2, ann.NodeIds.Count);
            Assert.Equal("ann@cli.overlay", ann.UserName);
            Assert.True(CertificateValidator.ForRoot(EnrollmentAuthority.Load(Path.Combine(dir, "ovl")).Root, "cli.overlay").Check(ann.Certificate).Accepted);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "ann", "key.pem")));

            (exit, _, error) = CliRunner.Run(dir, "enroll", "request", "--server", url, "--user", "ann@cli.overlay", "--password", "pw", "--out", "ann2");
            Assert.Equal(1, exit);
            Assert.Contains("p2psip: enrollment refused: Node-IDs_not_available", CliRunner.ProblemLines(error));

            (exit, _, error) = CliRunner.Run(dir, "enroll", "request", "--server", url, "--user", "ann@cli.overlay", "--password", "nope", "--out", "ann3",
                "--root", Path.Combine("ovl", "ca-cert.pem"));
            Assert.Equal(1, exit);
            Assert.Equal(["p2psip: enrollment refused: failed_authentication"], CliRunner.ProblemLines(error));
            Assert.False(Directory.Exists(Path.Combine(dir, "ann3")));
        }
        finally
        {
            server.Kill();
            server.WaitForExit();
        }

        (exit, _, error) = CliRunner.Run(dir, "enroll", "request", "--server", "http://127.0.0.1:1", "--user", "a", "--password", "b", "--out", "x");
        Assert.Equal(2, exit);
        Assert.Single(CliRunner.Lines(error));
        (exit, _, error) = CliRunner.Run(dir, "enroll", "serve", "--dir", "ovl", "--listen", "nowhere");
        Assert.Equal(2, exit);
        Assert.Single(CliRunner.Lines(error));
    }

    /// <summary>Starts <c>p2psip enroll serve</c> on a free port and reads its URL from the first line it prints.</summary>
    private static Process StartServer(string dir, out string url)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "p2psip.dll"), "enroll", "serve", "--dir", "ovl", "--listen", "127.0.0.1:0" })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var first = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("enroll serve printed nothing: " + process.StandardError.ReadToEnd());
        var match = System.Text.RegularExpressions.Regex.Match(first, @"listening on (https://\S+?)/? ");
        Assert.True(match.Success, first);
        url = match.Groups[1].Value;
        return process;
    }
}
