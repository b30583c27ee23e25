using System.Globalization;
using System.Text;

namespace P2psip.Wire.Rendering;

/// <summary>
/// A Wireshark-like text dump of a field map: one line per field, indented by depth, with the value
/// (integers in decimal and hex, the RFC's name for codes and enums, bytes in hex) and where the field
/// sits in the encoding. The output depends only on the field map, so it can be snapshot-tested.
/// </summary>
public static class MessageDump
{
    /// <summary>Bytes shown in full up to this many; longer values are cut and their size given.</summary>
    public const int MaxBytesShown = 64;

    /// <summary>Column at which the offset and length start when the field text is shorter.</summary>
    private const int LocationColumn = 60;

    /// <summary>
    /// Dumps <paramref name="node"/> and everything under it. The unnamed root of a field map is not
    /// printed itself: its fields start at the left margin.
    /// </summary>
    public static string ToText(FieldNode node)
    {
        var text = new StringBuilder();
        if (node.Name.Length == 0)
            foreach (var child in node.Children) Append(text, child, 0);
        else
            Append(text, node, 0);
        return text.ToString();
    }

    private static void Append(StringBuilder text, FieldNode node, int depth)
    {
        int lineStart = text.Length;
        text.Append(' ', depth * 2).Append(node.Name);
        var value = ValueText(node);
        if (value.Length > 0) text.Append(": ").Append(value);
        int used = text.Length - lineStart;
        text.Append(' ', Math.Max(2, LocationColumn - used));
        text.Append(CultureInfo.InvariantCulture, $"[offset {node.Offset}, length {node.Length}]").Append('\n');
        foreach (var child in node.ChildrenOrEmpty) Append(text, child, depth + 1);
    }

    /// <summary>The value part of a line: empty for a plain structure.</summary>
    public static string ValueText(FieldNode node)
    {
        if (node.Kind == FieldKind.Container)
        {
            // A container replaced by an edit has bytes and no children.
            if (node.ChildrenOrEmpty.Count == 0 && !node.Bytes.IsEmpty) return BytesText(node.Bytes.Span);
            if (node.IsList)
            {
                int count = MessageJson.Elements(node).Count();
                return count == 1 ? "1 element" : $"{count} elements";
            }
            return "";
        }
        if (node.Width == 0) return BytesText(node.Bytes.Span);
        // An integer an edit replaced by bytes of another size holds bytes, not a number.
        if (node.Length != node.Width)
            return node.Bytes.IsEmpty ? $"({node.Length} bytes written by an edit)" : BytesText(node.Bytes.Span);
        var number = IntegerText(node.Value, node.Width);
        return node.Meaning is null ? number : $"{number} ({node.Meaning})";
    }

    /// <summary><c>3 = 0x0003</c>: decimal, then hex padded to the field's width.</summary>
    public static string IntegerText(ulong value, int width) =>
        string.Create(CultureInfo.InvariantCulture, $"{value} = 0x{value.ToString("x" + (width * 2).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)}");

    /// <summary>Lower-case hex; past <see cref="MaxBytesShown"/> bytes the rest is left out and the size given.</summary>
    public static string BytesText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return "(empty)";
        if (bytes.Length <= MaxBytesShown) return Convert.ToHexStringLower(bytes);
        return $"{Convert.ToHexStringLower(bytes[..MaxBytesShown])}... ({bytes.Length} bytes)";
    }
}
