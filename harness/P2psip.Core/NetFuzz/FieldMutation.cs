using P2psip.Wire;

namespace P2psip.NetFuzz;

/// <summary>
/// One field mutation, chosen from a message's field map (<see cref="ReloadCodec.FieldMap"/>) and
/// written as <see cref="WireEdits"/>: integers at their boundaries, lengths and counts off by one
/// and huge, enums and codes in and out of range, bytes truncated, extended, repeated or replaced,
/// structures truncated, spliced with another field's bytes, or their list elements repeated;
/// (generator 2) deep nesting: an element of a list inside a list (a StoredData array in a kind's
/// values, a destination in a list, an option) repeated hundreds of times; and Kinds and data
/// models crossed: a Kind ID swapped for one of another data model, or a stored value rewritten as
/// an entry of another model (a dictionary entry under a single-value or array Kind, §7.2).
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
        if (random.Next(5) == 0 && Crossed(points, encoded, random) is { } crossed) return crossed;
        if (random.Next(6) == 0 && DeepNesting(points, encoded, random) is { } deep) return deep;
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

    /// <summary>The Kinds this harness knows and their data models (§7.2, §8; TURN-SERVICE is RFC 6940's single-value Kind).</summary>
    private static readonly (uint Kind, string Name, string Model)[] Kinds =
    [
        (1, "SIP-REGISTRATION", "dictionary"), (2, "TURN-SERVICE", "single"), (3, "CERTIFICATE_BY_NODE", "array"), (16, "CERTIFICATE_BY_USER", "array"),
    ];

    /// <summary>Kinds and data models crossed: a Kind ID of another model, or an entry rewritten in another model's form.</summary>
    private static FuzzEdit? Crossed(IReadOnlyList<FieldNode> points, byte[] encoded, Random random)
    {
        var entries = points.Where(p => p.Name is "single_value_entry" or "array_entry" or "dictionary_entry").ToList();
        var kinds = points.Where(p => p.Name == "kind" && p.Width == 4).ToList();
        if (entries.Count > 0 && (kinds.Count == 0 || random.Next(2) == 0))
        {
            var entry = entries[random.Next(entries.Count)];
            // The DataValue (exists, value) every model carries: the entry itself for single values, its "value" otherwise.
            var data = entry.Name == "single_value_entry" ? entry : entry.Children.FirstOrDefault(c => c.Name == "value");
            if (data is null) return null;
            var value = BytesOf(data, encoded);
            var index = new byte[] { 0, 0, 0, (byte)random.Next(4) };
            byte[] key = [0, 16, .. Filler(random, 16)];
            var (model, bytes) = (entry.Name, random.Next(2)) switch
            {
                ("single_value_entry", 0) or ("dictionary_entry", 0) => ("array", (byte[])[.. index, .. value]),
                ("single_value_entry", _) or ("array_entry", 0) => ("dictionary", [.. key, .. value]),
                _ => ("single", value),
            };
            return new FuzzEdit(FuzzEditVerb.Replace, entry.Path, 0, bytes, $"cross {entry.Path} {entry.Name} -> {model} entry ({BytesOf(entry, encoded).Length} -> {bytes.Length} bytes)");
        }
        if (kinds.Count == 0) return null;
        var kind = kinds[random.Next(kinds.Count)];
        var from = Kinds.FirstOrDefault(k => k.Kind == kind.Value);
        var others = Kinds.Where(k => k.Model != (from.Model ?? "")).ToArray();
        var to = others[random.Next(others.Length)];
        return new FuzzEdit(FuzzEditVerb.Set, kind.Path, to.Kind,
            [], $"cross {kind.Path} kind {kind.Value}{(from.Name is { } n ? $" ({n}, {from.Model})" : "")} -> {to.Kind} ({to.Name}, {to.Model})");
    }

    /// <summary>
    /// Deep nesting: an element of a list that sits inside another list (StoredData in a kind's values,
    /// kind_data in a Store) or of the destination list and options, repeated far past any sane count.
    /// </summary>
    private static FuzzEdit? DeepNesting(IReadOnlyList<FieldNode> points, byte[] encoded, Random random)
    {
        static int Depth(FieldNode n) => n.Path.Count(c => c == '[');
        var elements = points.Where(p => p.Kind == FieldKind.Container && p.Name.StartsWith('[')).ToList();
        if (elements.Count == 0) return null;
        int deepest = elements.Max(Depth);
        // Prefer the innermost lists: that is where a parser's recursion and counts are least tested.
        var pool = random.Next(3) > 0 ? elements.Where(e => Depth(e) == deepest).ToList() : elements;
        var element = pool[random.Next(pool.Count)];
        var bytes = BytesOf(element, encoded);
        if (bytes.Length == 0) return null;
        int times = new[] { 255, 256, 1000 }[random.Next(3)];
        // Bounded: a message stays under the framing's and the SUT's size limits' neighbourhood, not gigabytes.
        times = Math.Max(2, Math.Min(times, 60_000 / bytes.Length));
        var repeated = new byte[bytes.Length * times];
        for (int i = 0; i < times; i++) bytes.CopyTo(repeated, i * bytes.Length);
        return new FuzzEdit(FuzzEditVerb.InsertAfter, element.Path, 0, repeated, $"nest {element.Path} x{times} (depth {Depth(element)})");
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
