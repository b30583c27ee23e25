namespace P2psip.Cli;

/// <summary>Exit statuses shared by every verb (the README's "Exit status" table).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The inputs were read but something in them failed: an invalid message, a refusal, a failed check, a negative result.</summary>
    public const int Failed = 1;
    /// <summary>A usage or I/O error: bad arguments, a missing or unreadable file, an unreachable or silent address.</summary>
    public const int UsageOrIo = 2;
    /// <summary>Inconclusive, where a verb has that outcome: it could not decide either way.</summary>
    public const int Inconclusive = 3;
    /// <summary>An internal error (EX_SOFTWARE): a bug in p2psip, never the user's input.</summary>
    public const int InternalError = 70;
    /// <summary>Stopped by SIGINT or SIGTERM while waiting (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
