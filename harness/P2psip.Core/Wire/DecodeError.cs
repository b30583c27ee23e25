namespace P2psip.Wire;

/// <summary>
/// Why bytes did not decode: the field path (RFC field names, outermost first), the absolute
/// byte offset of the offending field, the reason in words and the RFC 6940 section of the rule.
/// </summary>
public sealed class DecodeError
{
    private readonly List<string> _reversedPath = new(8);

    public DecodeError(string field, int offset, string reason, string rfcSection)
    {
        _reversedPath.Add(field);
        Offset = offset;
        Reason = reason;
        RfcSection = rfcSection;
    }

    public int Offset { get; }
    public string Reason { get; }
    public string RfcSection { get; }

    /// <summary>Dotted path such as <c>forwarding_header.via_list[1].length</c>.</summary>
    public string FieldPath => FieldPaths.Join(Enumerable.Reverse(_reversedPath));

    /// <summary>Adds the name of an enclosing field in front of the path.</summary>
    internal void Prepend(string segment) => _reversedPath.Add(segment);

    public override string ToString() => $"{FieldPath} at offset {Offset}: {Reason} (RFC 6940 §{RfcSection})";
}
