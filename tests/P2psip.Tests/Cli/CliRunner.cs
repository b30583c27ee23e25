using P2psip.Tests.Capture;

namespace P2psip.Tests.Cli;

/// <summary>Runs the built p2psip (copied beside the tests) as a separate process, as a user would.</summary>
internal static partial class CliRunner
{
    /// <summary>The dotnet host that runs the tests.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The built p2psip beside the tests.</summary>
    public static string Program => Path.Combine(AppContext.BaseDirectory, "p2psip.dll");

    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] arguments) =>
        ExternalTool.Run(Dotnet, [Program, .. arguments], TimeSpan.FromMinutes(2), workingDirectory);

    public static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "p2psip-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>
    /// Standard error without the notices a network wait prints after two seconds ("p2psip VERB: waiting
    /// for ..."), which a loaded machine may reach on a wait that then succeeds or fails quickly.
    /// </summary>
    public static string[] ProblemLines(string error) => Lines(error).Where(l => !WaitNotice().IsMatch(l)).ToArray();

    [System.Text.RegularExpressions.GeneratedRegex(@"^p2psip [a-z ]+: waiting for ")]
    private static partial System.Text.RegularExpressions.Regex WaitNotice();

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
