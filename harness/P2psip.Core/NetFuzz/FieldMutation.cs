using P2psip.Wire;

namespace P2psip.NetFuzz;

/// <summary>
/// One field mutation, chosen from a message's field map (<see cref="ReloadCodec.FieldMap"/>) and
/// written as <see cref="WireEdits"/>: integers at their boundaries, lengths and counts off by one
/// and huge, enums and codes in and out of range, bytes truncated, extended, repeated or replaced,
/// structures truncated, spliced with another field's bytes, or their list elements repeated.
/// The security block is left alone: re-signing would overwrite it (with <c>--no-resign</c> the
/// signature checks still see every other damage).
/// </summary>
public static class FieldMutation
{
    /// <summary>The fields a mutation may hit: everything but the root, the security block and signatures.</summary>
    public static IReadOnlyList<FieldNode> Points(FieldNode map) =>
        map.Descendants().Where(n => !n.Path.StartsWith("security_block", StringComparison.Ordinal)
            && !n.Path.Contains("signature", StringComparison.Ordinal) && !n.Path.Contains("certificate", StringComparison.Ordinal)).ToList();

    /// <summary>Chooses one mutation; null when the message has no mutation point.</summary>
    public static FuzzEdit? Choose(FieldNode map, byte[] encoded, Random random)
    {
        var points = Points(map);
        if (points.Count == 0) return null;
        // Bodies hold most of the code behind the transport's checks: aim there more often.
        var body = points.Where(p => p.Path.StartsWith("message_contents", StringComparison.Ordinal)).ToList();
        var pool = body.Count > 0 && random.NextDouble() < 0.7 ? body : points;
        var node = pool[random.Next(pool.Count)];
        bool integer = node.Width > 0 && node.Kind is not (FieldKind.Bytes or FieldKind.Container);
        if (integer)
        {
            var value = IntegerValue(node, random) & Mask(node.Width);
            return new FuzzEdit(FuzzEditVerb.Set, node.Path, value, [], $"set {node.Path} {node.Value} -> {value}");
        }
        var current = BytesOf(node, encoded);
        if (node.Kind == FieldKind.Container && node.Name.StartsWith('[') && random.Next(3) == 0)
        {
            // Repeated element (§6.3.2.2-style lists): the same element written again after itself.
            int times = random.Next(4) == 0 ? 64 : random.Next(1, 4);
            var repeated = Enumerable.Repeat(current, times).SelectMany(b => b).ToArray();
            return new FuzzEdit(FuzzEditVerb.InsertAfter, node.Path, 0, repeated, $"repeat {node.Path} x{times}");
        }
        var (bytes, how) = random.Next(7) switch
        {
            0 => (current[..(current.Length / 2)], "truncate to half"),
            1 => (Array.Empty<byte>(), "truncate to nothing"),
            2 => (current.Length > 0 ? current[..^1] : current, "truncate by one"),
            3 => ([.. current, .. Filler(random, random.Next(2) == 0 ? 1 : 300)], "extend"),
            4 => ([.. current, .. current], "repeat"),
            5 => (Splice(points, encoded, random), "splice"),
            _ => (Filler(random, current.Length), "random bytes"),
        };
        return new FuzzEdit(FuzzEditVerb.Replace, node.Path, 0, bytes, $"{how} {node.Path} ({current.Length} -> {bytes.Length} bytes)");
    }

    private static ulong IntegerValue(FieldNode node, Random random)
    {
        ulong max = Mask(node.Width), v = node.Value;
        ulong[] boundaries = [0, 1, max, max - 1, max >> 1, (max >> 1) + 1];
        ulong[] offByOne = [v + 1, v - 1, v * 2, v + 0x10];
        // Enumerations and codes: the neighbours of valid values, the reserved top, and values the RFC leaves unassigned.
        ulong[] outOfRange = [v ^ 1, 0xfe, 0xff, 0x7f, 0x80, 4, 5];
        return node.Kind switch
        {
            FieldKind.Length or FieldKind.Count => random.Next(3) switch
            {
                0 => offByOne[random.Next(offByOne.Length)],
                1 => boundaries[random.Next(boundaries.Length)],
                _ => v + (ulong)random.Next(1, 4096),
            },
            FieldKind.Enum or FieldKind.Code => random.Next(3) switch
            {
                0 => outOfRange[random.Next(outOfRange.Length)],
                1 => boundaries[random.Next(boundaries.Length)],
                _ => (ulong)random.Next(0, 16),
            },
            _ => random.Next(4) switch
            {
                0 => offByOne[random.Next(offByOne.Length)],
                1 or 2 => boundaries[random.Next(boundaries.Length)],
                _ => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63),
            },
        };
    }

    /// <summary>Another field's bytes from the same message, put in this one's place.</summary>
    private static byte[] Splice(IReadOnlyList<FieldNode> points, byte[] encoded, Random random) =>
        BytesOf(points[random.Next(points.Count)], encoded);

    private static byte[] Filler(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static ulong Mask(int width) => width >= 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;

    private static byte[] BytesOf(FieldNode node, byte[] encoded) =>
        node.Offset + node.Length <= encoded.Length ? encoded.AsSpan(node.Offset, node.Length).ToArray() : node.Bytes.ToArray();
}
