using FsCheck;

namespace P2psip.Tests.Properties;

/// <summary>One fixed seed for every property run, printed on failure by FsCheck and overridable.</summary>
internal static class PropertyConfig
{
    public const ulong DefaultSeed = 0x50325053;

    public static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("P2PSIP_PROPERTY_SEED"), out var s) ? s : DefaultSeed;

    public static Config Create(int runs) =>
        Config.QuickThrowOnFailure.WithMaxTest(Math.Max(1, runs)).WithReplay(Seed, 0x9E3779B97F4A7C15UL);
}
