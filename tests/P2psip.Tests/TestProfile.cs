namespace P2psip.Tests;

/// <summary>
/// How much each test does, chosen by <c>P2PSIP_TEST_PROFILE</c>: <c>full</c> (the default) or
/// <c>ci</c>, which <c>.ci/run</c> exports. The ci profile still runs every test, each briefly:
/// fewer FsCheck runs, smaller simulated rings and floods, shorter fuzz campaigns. Anything else
/// is an error, so that a misspelt profile is not silently the full one.
/// </summary>
internal static class TestProfile
{
    public const string Variable = "P2PSIP_TEST_PROFILE";

    public static readonly string Name = Read(Environment.GetEnvironmentVariable(Variable));

    public static bool IsCi => Name == "ci";

    /// <summary>The full profile's amount, or the ci profile's.</summary>
    public static int Pick(int full, int ci) => IsCi ? ci : full;

    internal static string Read(string? value) => value switch
    {
        null or "" or "full" => "full",
        "ci" => "ci",
        _ => throw new InvalidOperationException($"{Variable}={value}: unknown test profile; known: full, ci"),
    };
}

/// <summary>The values of the <c>Category</c> trait (filter with <c>--filter Category=NAME</c> or <c>Category!=NAME</c>).</summary>
internal static class TestCategory
{
    /// <summary>AFL++ campaigns through run-fuzz.ps1 (needs afl++ and the local dotnet tools).</summary>
    public const string Fuzz = "Fuzz";

    /// <summary>Real sockets on 127.0.0.1 (TLS, DTLS, HTTPS, plaintext TCP), wall-clock time, or peer processes.</summary>
    public const string Live = "Live";

    /// <summary>Runs a program that is not built here (tshark).</summary>
    public const string ExternalTool = "ExternalTool";

    /// <summary>The slowest tests: six seconds or more in a full parallel run on the 2-core CI machine.</summary>
    public const string Long = "Long";
}
