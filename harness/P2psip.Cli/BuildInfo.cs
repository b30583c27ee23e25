using System.Reflection;

namespace P2psip.Cli;

/// <summary>
/// The version and the commit this build was made from. The commit is embedded at build time
/// (SourceRevisionId from git, "unknown" without git; see P2psip.Cli.csproj), appended by the SDK to
/// the informational version as "+commit".
/// </summary>
public static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Version => Informational.Split('+')[0];

    public static string Commit => Informational.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : "unknown";

    /// <summary>What <c>p2psip --version</c> prints, and what reports carry.</summary>
    public static string VersionLine => $"p2psip {Version} (commit {Commit})";
}
