namespace P2psip.Cli;

/// <summary>
/// A user's mistake or an environment problem (bad file, bad address, refused request): printed as
/// one line, without a stack trace, and mapped to the exit status given (2 for usage and I/O errors).
/// </summary>
public sealed class CliError(string message, int exitCode = ExitCodes.UsageOrIo) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
