namespace P2psip.Wire;

/// <summary>
/// Deliberate damage to apply while encoding, keyed by field path (<see cref="FieldPaths"/>):
/// replace the value of any integer field (lengths, counts, codes and enums included, which are
/// otherwise computed), replace the encoded bytes of any field or structure, or splice bytes in
/// before or after one. This is how the adversary and the fuzzer write wrong messages on purpose
/// (TLS-Attacker's "modifiable variables"). Edits serialise as text and load back unchanged.
/// </summary>
public sealed class WireEdits
{
    private readonly Dictionary<string, ulong> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _replacements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _before = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _after = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public bool IsEmpty => _values.Count + _replacements.Count + _before.Count + _after.Count == 0;

    /// <summary>Writes <paramref name="value"/> (its low bytes, at the field's width) instead of the field's value.</summary>
    public WireEdits Set(string path, ulong value) { _values[path] = value; return this; }

    /// <summary>Writes <paramref name="bytes"/> instead of the whole encoded field or structure.</summary>
    public WireEdits Replace(string path, ReadOnlySpan<byte> bytes) { _replacements[path] = bytes.ToArray(); return this; }

    public WireEdits InsertBefore(string path, ReadOnlySpan<byte> bytes) { _before[path] = bytes.ToArray(); return this; }

    public WireEdits InsertAfter(string path, ReadOnlySpan<byte> bytes) { _after[path] = bytes.ToArray(); return this; }

    internal bool TryGetValue(string path, out ulong value)
    {
        if (!_values.TryGetValue(path, out value)) return false;
        _used.Add(path);
        return true;
    }

    internal byte[]? Replacement(string path) => Take(_replacements, path);
    internal byte[]? Before(string path) => Take(_before, path);
    internal byte[]? After(string path) => Take(_after, path);

    private byte[]? Take(Dictionary<string, byte[]> map, string path)
    {
        if (!map.TryGetValue(path, out var bytes)) return null;
        _used.Add(path);
        return bytes;
    }

    /// <summary>Paths that named no field of the message encoded: almost always a typo in a scenario.</summary>
    public IReadOnlyList<string> Unused() =>
        _values.Keys.Concat(_replacements.Keys).Concat(_before.Keys).Concat(_after.Keys)
            .Where(p => !_used.Contains(p)).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>One edit per line: <c>set PATH VALUE</c>, <c>replace PATH HEX</c>, <c>before PATH HEX</c>, <c>after PATH HEX</c>.</summary>
    public override string ToString()
    {
        var lines = new List<string>();
        lines.AddRange(_values.Select(kv => $"set {kv.Key} {kv.Value}"));
        lines.AddRange(_replacements.Select(kv => $"replace {kv.Key} {Convert.ToHexStringLower(kv.Value)}"));
        lines.AddRange(_before.Select(kv => $"before {kv.Key} {Convert.ToHexStringLower(kv.Value)}"));
        lines.AddRange(_after.Select(kv => $"after {kv.Key} {Convert.ToHexStringLower(kv.Value)}"));
        return string.Join('\n', lines);
    }

    /// <summary>Parses the form <see cref="ToString"/> writes; a bad line is reported by number.</summary>
    public static WireEdits Parse(string text)
    {
        var edits = new WireEdits();
        int n = 0;
        foreach (var raw in text.Split('\n'))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3) throw new FormatException($"edit line {n}: expected 'VERB PATH VALUE', got '{line}'");
            try
            {
                switch (parts[0])
                {
                    case "set": edits.Set(parts[1], ulong.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)); break;
                    case "replace": edits.Replace(parts[1], Convert.FromHexString(parts[2])); break;
                    case "before": edits.InsertBefore(parts[1], Convert.FromHexString(parts[2])); break;
                    case "after": edits.InsertAfter(parts[1], Convert.FromHexString(parts[2])); break;
                    default: throw new FormatException($"edit line {n}: unknown verb '{parts[0]}' (set, replace, before, after)");
                }
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new FormatException(e.Message.StartsWith("edit line", StringComparison.Ordinal) ? e.Message : $"edit line {n}: {e.Message}");
            }
        }
        return edits;
    }
}
