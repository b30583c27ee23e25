namespace P2psip.Security;

/// <summary>The tokens an enrollment server answers with 403 Forbidden (§11.3).</summary>
public static class EnrollmentError
{
    /// <summary>The account name and password combination was not valid.</summary>
    public const string FailedAuthentication = "failed_authentication";
    /// <summary>The user name requested in the CSR was not acceptable.</summary>
    public const string UsernameNotAvailable = "username_not_available";
    /// <summary>The number of Node-IDs requested was not acceptable.</summary>
    public const string NodeIdsNotAvailable = "Node-IDs_not_available";
    /// <summary>Some other problem with the CSR.</summary>
    public const string BadCsr = "bad_CSR";

    public static bool IsKnown(string token) => token is FailedAuthentication or UsernameNotAvailable or NodeIdsNotAvailable or BadCsr;
}

/// <summary>A refused enrollment: the RFC's error token and what exactly was wrong.</summary>
public sealed class EnrollmentRefusedException(string token, string detail)
    : Exception($"{token}: {detail}")
{
    public string Token { get; } = token;
    public string Detail { get; } = detail;
}
