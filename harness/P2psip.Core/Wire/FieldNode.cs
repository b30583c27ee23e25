namespace P2psip.Wire;

/// <summary>
/// One field of an encoded message as the encoder wrote it: where it is, how long, what it holds.
/// The tree of these is the message's field map: the dump and JSON are printed from it, and the
/// structure-aware fuzzer picks fields to mutate from it.
/// </summary>
public sealed class FieldNode
{
    private string? _path;

    /// <param name="path">The field's path, or null to work it out from the parents when first asked
    /// (a field map built only to be printed never needs most of them).</param>
    internal FieldNode(string name, string? path, FieldKind kind, int offset, FieldNode? parent)
    {
        Name = name;
        _path = path;
        Kind = kind;
        Offset = offset;
        Parent = parent;
    }

    public string Name { get; }
    public string Path => _path ??= PathFromParent();

    private string PathFromParent()
    {
        var prefix = Parent?.Path ?? "";
        if (prefix.Length == 0) return Name;
        return Name.StartsWith('[') ? prefix + Name : prefix + "." + Name;
    }
    public FieldKind Kind { get; }
    public int Offset { get; internal set; }
    public int Length { get; internal set; }
    /// <summary>Width in bytes of an integer field; 0 for bytes and containers.</summary>
    public int Width { get; internal set; }
    public ulong Value { get; internal set; }
    public Opaque Bytes { get; internal set; }
    /// <summary>The RFC's name for an enum or code value, if it has one.</summary>
    public string? Meaning { get; internal set; }
    /// <summary>A container whose children are list elements (printed as a JSON array).</summary>
    public bool IsList { get; internal set; }
    public FieldNode? Parent { get; }
    private List<FieldNode>? _children;

    /// <summary>The fields inside a container (made on first use: most nodes are leaves).</summary>
    public List<FieldNode> Children => _children ??= [];

    /// <summary>The children for reading, without making a list for a leaf.</summary>
    internal IReadOnlyList<FieldNode> ChildrenOrEmpty => (IReadOnlyList<FieldNode>?)_children ?? [];

    public IEnumerable<FieldNode> Descendants()
    {
        foreach (var c in ChildrenOrEmpty)
        {
            yield return c;
            foreach (var d in c.Descendants()) yield return d;
        }
    }

    public FieldNode? Find(string path) => Path == path ? this : Children.Select(c => c.Find(path)).FirstOrDefault(n => n is not null);

    public override string ToString() => $"{Path} @{Offset}+{Length} {Kind}";
}
