using P2psip.Tests.Capture;

namespace P2psip.Tests.Cli;

/// <summary>
/// Distribution (issue 14): the CLI packs as a .NET tool, installs from a local folder with
/// <c>dotnet tool install --tool-path DIR --add-source DIR p2psip</c>, and the installed p2psip
/// prints its version and commit and decodes a message. Runs dotnet pack and dotnet tool install
/// (NuGet), so it is tagged Long for CI to choose.
/// </summary>
public class ToolPackageTests
{
    [Fact]
    [Trait("Category", "Long")]
    public void The_packed_tool_installs_and_runs()
    {
        var folder = CliRunner.NewDirectory();
        var packages = Path.Combine(folder, "packages");
        var tools = Path.Combine(folder, "tools");
        var project = Path.Combine(RepositoryRoot(), "harness", "P2psip.Cli", "P2psip.Cli.csproj");
        // The configuration the tests were built in; its build of the CLI is the one packed.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

        var pack = ExternalTool.Run(CliRunner.Dotnet, ["pack", project, "-c", configuration, "--no-build", "-o", packages], TimeSpan.FromMinutes(5), folder);
        Assert.True(pack.ExitCode == 0, pack.Output + pack.Error);
        Assert.Single(Directory.GetFiles(packages, "p2psip.*.nupkg"));

        var install = ExternalTool.Run(CliRunner.Dotnet, ["tool", "install", "--tool-path", tools, "--add-source", packages, "p2psip"], TimeSpan.FromMinutes(5), folder);
        Assert.True(install.ExitCode == 0, install.Output + install.Error);
        var p2psip = Path.Combine(tools, OperatingSystem.IsWindows() ? "p2psip.exe" : "p2psip");

        var version = ExternalTool.Run(p2psip, ["--version"], TimeSpan.FromMinutes(1), folder);
        Assert.Equal(0, version.ExitCode);
        Assert.Equal(P2psip.Cli.BuildInfo.VersionLine, CliRunner.Lines(version.Output).Single());

        File.WriteAllBytes(Path.Combine(folder, "message.bin"), CaptureSamples.ErrorMessage());
        var decode = ExternalTool.Run(p2psip, ["decode", "message.bin"], TimeSpan.FromMinutes(1), folder);
        Assert.True(decode.ExitCode == 0, decode.Error);
        Assert.StartsWith("== message.bin: error", decode.Output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "P2psipConformance.sln"))) return directory.FullName;
        throw new InvalidOperationException("the repository root (P2psipConformance.sln) is not above the test binaries");
    }
}
