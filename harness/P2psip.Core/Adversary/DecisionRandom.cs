using System.Globalization;

namespace P2psip.Adversary;

/// <summary>
/// The random stream of one rule on one message: SplitMix64 seeded from a hash of run seed ‖ rule
/// index ‖ message position, so a draw depends on nothing else (not the clock, not the order other
/// rules drew in). Every draw is recorded for the decision log.
/// </summary>
public sealed class DecisionRandom
{
    private ulong _state;
    private readonly List<RandomDraw> _draws = [];

    public DecisionRandom(ulong seed, int rule, long position)
    {
        _state = Mix(Mix(seed ^ 0x5deece66dUL) ^ Mix((ulong)(uint)rule + 0x9e3779b97f4a7c15UL) ^ Mix((ulong)position * 0xbf58476d1ce4e5b9UL + 1));
    }

    public IReadOnlyList<RandomDraw> Draws => _draws;

    public ulong NextUInt64(string use)
    {
        var v = Next();
        _draws.Add(new RandomDraw(use, v.ToString(CultureInfo.InvariantCulture)));
        return v;
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble(string use)
    {
        var d = (Next() >> 11) * (1.0 / (1UL << 53));
        _draws.Add(new RandomDraw(use, d.ToString("R", CultureInfo.InvariantCulture)));
        return d;
    }

    /// <summary>Uniform in [min, max] (inclusive).</summary>
    public long NextInRange(string use, long min, long max)
    {
        ulong span = (ulong)(max - min) + 1;
        var v = span == 0 ? (long)Next() : min + (long)(Next() % span);
        _draws.Add(new RandomDraw(use, v.ToString(CultureInfo.InvariantCulture)));
        return v;
    }

    public byte[] NextBytes(string use, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i += 8)
        {
            var v = Next();
            for (int j = 0; j < 8 && i + j < length; j++) bytes[i + j] = (byte)(v >> (8 * j));
        }
        _draws.Add(new RandomDraw(use, Convert.ToHexStringLower(bytes)));
        return bytes;
    }

    private ulong Next()
    {
        _state += 0x9e3779b97f4a7c15UL;
        return Mix(_state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}

/// <summary>One random draw: what it was for and the value used.</summary>
public sealed record RandomDraw(string Use, string Value);
