using System.Security.Cryptography;

namespace P2psip.Security;

/// <summary>
/// A <see cref="Random"/> whose every draw comes from <see cref="RandomNumberGenerator"/>: what live
/// peers use for transaction ids (§6.3.2: an attacker must not guess them) and Attach credentials.
/// The simulator passes a seeded <see cref="Random"/> instead, so that a seed replays a run.
/// Thread-safe.
/// </summary>
public sealed class CryptographicRandom : Random
{
    public static CryptographicRandom Instance { get; } = new();

    public override int Next() => (int)(Draw() >> 33);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue == 0 ? 0 : RandomNumberGenerator.GetInt32(maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return minValue == maxValue ? minValue : RandomNumberGenerator.GetInt32(minValue, maxValue);
    }

    public override long NextInt64() => (long)(Draw() >> 1);

    public override long NextInt64(long maxValue) => NextInt64(0, maxValue);

    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = (ulong)(maxValue - minValue);
        if (range == 0) return minValue;
        // Rejection sampling: no modulo bias.
        ulong limit = ulong.MaxValue - ulong.MaxValue % range;
        ulong x;
        do x = Draw(); while (x >= limit);
        return minValue + (long)(x % range);
    }

    public override double NextDouble() => (Draw() >> 11) * (1.0 / (1UL << 53));

    public override float NextSingle() => (Draw() >> 40) * (1.0f / (1U << 24));

    public override void NextBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);

    public override void NextBytes(Span<byte> buffer) => RandomNumberGenerator.Fill(buffer);

    protected override double Sample() => NextDouble();

    private static ulong Draw()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
