using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace P2psip.NetFuzz;

/// <summary>
/// A fuzz case's stable name (issue 12): generator version, seed and index, e.g. <c>g2-s42-000017</c>.
/// Case <see cref="Index"/> of <see cref="Seed"/> is always the same session for the same generator.
/// </summary>
public readonly record struct FuzzCaseId(int Generator, int Seed, long Index)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"g{Generator}-s{Seed}-{Index:D6}");

    /// <summary>The seed of this case's own random source: a hash of the ID, so cases do not depend on each other.</summary>
    public int RandomSeed => BitConverter.ToInt32(SHA256.HashData(Encoding.ASCII.GetBytes("netfuzz:" + this)), 0);

    public static bool TryParse(string text, out FuzzCaseId id)
    {
        id = default;
        var parts = text.Split('-');
        // A negative seed is written s-5: four parts.
        if (parts.Length == 4 && parts[1] == "s") parts = [parts[0], "s-" + parts[2], parts[3]];
        if (parts.Length != 3 || !parts[0].StartsWith('g') || !parts[1].StartsWith('s')) return false;
        if (!int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var g)) return false;
        if (!int.TryParse(parts[1].AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)) return false;
        if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var i)) return false;
        id = new FuzzCaseId(g, s, i);
        return true;
    }
}
