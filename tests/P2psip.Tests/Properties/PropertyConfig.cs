using FsCheck;

namespace P2psip.Tests.Properties;

/// <summary>One fixed seed for every property run, printed on failure by FsCheck and overridable.</summary>
internal static class PropertyConfig
{
    public const ulong DefaultSeed = 0x50325053;

    public static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("P2PSIP_PROPERTY_SEED"), out var s) ? s : DefaultSeed;

    /// <summary>
    /// How many cases a property runs: <c>P2PSIP_PROPERTY_RUNS</c> when set, else <paramref name="full"/>,
    /// a quarter of it in the ci profile (<see cref="TestProfile"/>).
    /// </summary>
    public static int Runs(int full) =>
        int.TryParse(Environment.GetEnvironmentVariable("P2PSIP_PROPERTY_RUNS"), out var n) ? n : TestProfile.Pick(full, ci: Math.Max(10, full / 4));

    public static Config Create(int runs) =>
        Config.QuickThrowOnFailure.WithMaxTest(Math.Max(1, runs)).WithReplay(Seed, 0x9E3779B97F4A7C15UL);
}
