using System.Globalization;
using System.Numerics;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>Field paths with <c>[*]</c>, and the values scenarios write for fields (numbers, names, hex).</summary>
internal static class FieldValues
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> Segments = new(StringComparer.Ordinal);

    /// <summary>The fields of <paramref name="map"/> a path names; <c>[*]</c> stands for any element index.</summary>
    public static IEnumerable<FieldNode> Select(FieldNode map, string path)
    {
        // Walk down name by name (a list element's name is "[i]") rather than testing every field.
        IEnumerable<FieldNode> level = [map];
        foreach (var segment in Segments.GetOrAdd(path, Split))
        {
            var name = segment;
            level = name == "[*]"
                ? level.SelectMany(n => n.ChildrenOrEmpty.Where(c => c.Name.StartsWith('[')))
                : level.SelectMany(n => n.ChildrenOrEmpty.Where(c => c.Name == name));
        }
        return level.ToList();
    }

    /// <summary>The path's segments (cached): <c>a.b[*].c[2]</c> → <c>a</c>, <c>b</c>, <c>[*]</c>, <c>c</c>, <c>[2]</c>.</summary>
    public static IReadOnlyList<string> SegmentsOf(string path) => Segments.GetOrAdd(path, Split);

    /// <summary><c>a.b[*].c[2]</c> → <c>a</c>, <c>b</c>, <c>[*]</c>, <c>c</c>, <c>[2]</c>.</summary>
    private static string[] Split(string path)
    {
        var segments = new List<string>();
        foreach (var part in path.Split('.'))
        {
            int bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket != 0) segments.Add(bracket < 0 ? part : part[..bracket]);
            for (int i = Math.Max(bracket, 0); bracket >= 0 && i < part.Length;)
            {
                int close = part.IndexOf(']', i);
                if (close < 0) { segments.Add(part[i..]); break; }
                segments.Add(part[i..(close + 1)]);
                i = close + 1;
            }
        }
        return segments.ToArray();
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
