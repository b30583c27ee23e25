using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>Field paths with <c>[*]</c>, and the values scenarios write for fields (numbers, names, hex).</summary>
internal static class FieldValues
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>The fields of <paramref name="map"/> a path names; <c>[*]</c> stands for any element index.</summary>
    public static IEnumerable<FieldNode> Select(FieldNode map, string path)
    {
        if (!path.Contains("[*]", StringComparison.Ordinal))
        {
            if (map.Find(path) is { } exact) yield return exact;
            yield break;
        }
        var pattern = Patterns.GetOrAdd(path, static p => new Regex("^" + Regex.Escape(p).Replace(@"\[\*]", @"\[\d+]", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant));
        foreach (var node in map.Descendants())
            if (pattern.IsMatch(node.Path)) yield return node;
    }

    public static bool IsInteger(FieldNode node) => node.Width > 0 && node.Kind is not (FieldKind.Bytes or FieldKind.Container);

    /// <summary>A number written in decimal or 0x hex.</summary>
    public static bool TryNumber(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The encoded bytes of a field as the message was written.</summary>
    public static byte[] BytesOf(FieldNode node, ReadOnlySpan<byte> encoded) =>
        node.Offset + node.Length <= encoded.Length ? encoded.Slice(node.Offset, node.Length).ToArray() : node.Bytes.ToArray();

    public static BigInteger AsNumber(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    public static ulong Mask(int width) => width >= 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;

    /// <summary>Big-endian bytes of <paramref name="value"/> at <paramref name="width"/>.</summary>
    public static byte[] BigEndian(ulong value, int width)
    {
        var bytes = new byte[width];
        for (int i = 0; i < width; i++) bytes[width - 1 - i] = (byte)(value >> (8 * i));
        return bytes;
    }
}
