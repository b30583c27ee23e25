namespace P2psip.Cli;

/// <summary>Exit statuses shared by every verb.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The inputs were read but something in them failed: an invalid message, a refusal, a failed check.</summary>
    public const int Failed = 1;
    /// <summary>A usage or I/O error: bad arguments, a missing or unreadable file, an unreachable address.</summary>
    public const int UsageOrIo = 2;
}
