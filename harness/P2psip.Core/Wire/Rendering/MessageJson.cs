using System.Text;
using System.Text.Json;

namespace P2psip.Wire.Rendering;

/// <summary>
/// A field map as nested JSON: structures become objects keyed by field name, lists become arrays,
/// integers numbers, codes and enums with an RFC name <c>{"value":n,"name":"..."}</c>, bytes
/// lower-case hex strings. Keys keep the encoding's field order, so the output is deterministic.
/// </summary>
public static class MessageJson
{
    /// <summary>Writes the value of <paramref name="node"/> (the whole map when given its root).</summary>
    /// <param name="wideIntegersAsStrings">
    /// 64-bit integers (transaction ids, storage times) as decimal strings: JavaScript readers hold
    /// numbers as doubles and lose the low bits of anything above 2^53.
    /// </param>
    public static void Write(FieldNode node, Utf8JsonWriter json, bool wideIntegersAsStrings = false)
    {
        switch (node.Kind)
        {
            case FieldKind.Container when node.ChildrenOrEmpty.Count == 0 && !node.Bytes.IsEmpty:
                // A container an edit replaced by raw bytes.
                WriteHex(node.Bytes.Span, json);
                break;
            case FieldKind.Container when node.IsList:
                // The elements only: a list's own length prefix (its first child, when it has one)
                // is the array's size in bytes, which the dump shows.
                json.WriteStartArray();
                foreach (var element in node.ChildrenOrEmpty)
                    if (element.Name.StartsWith('[')) Write(element, json, wideIntegersAsStrings);
                json.WriteEndArray();
                break;
            case FieldKind.Container:
                json.WriteStartObject();
                foreach (var child in node.ChildrenOrEmpty)
                {
                    json.WritePropertyName(child.Name);
                    Write(child, json, wideIntegersAsStrings);
                }
                json.WriteEndObject();
                break;
            case FieldKind.Bytes:
                WriteHex(node.Bytes.Span, json);
                break;
            default:
                if (node.Length != node.Width)
                {
                    // An integer an edit replaced by bytes of another size.
                    WriteHex(node.Bytes.Span, json);
                }
                else if (node.Meaning is not null && node.Kind is FieldKind.Code or FieldKind.Enum)
                {
                    json.WriteStartObject();
                    json.WriteNumber("value", node.Value);
                    json.WriteString("name", node.Meaning);
                    json.WriteEndObject();
                }
                else if (wideIntegersAsStrings && node.Width == 8)
                {
                    Span<byte> digits = stackalloc byte[20];
                    System.Buffers.Text.Utf8Formatter.TryFormat(node.Value, digits, out int written);
                    json.WriteStringValue(digits[..written]);
                }
                else
                {
                    json.WriteNumberValue(node.Value);
                }
                break;
        }
    }

    /// <summary>Lower-case hex straight into the writer, without a string in between.</summary>
    private static void WriteHex(ReadOnlySpan<byte> bytes, Utf8JsonWriter json)
    {
        const int StackLimit = 1024;
        byte[]? rented = bytes.Length * 2 > StackLimit ? System.Buffers.ArrayPool<byte>.Shared.Rent(bytes.Length * 2) : null;
        Span<byte> hex = rented ?? stackalloc byte[StackLimit];
        hex = hex[..(bytes.Length * 2)];
        for (int i = 0; i < bytes.Length; i++)
        {
            hex[2 * i] = HexDigit(bytes[i] >> 4);
            hex[2 * i + 1] = HexDigit(bytes[i] & 0xf);
        }
        json.WriteStringValue(hex);
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
    }

    private static byte HexDigit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    /// <summary>The elements of a list container (named <c>[i]</c>), without its length prefix.</summary>
    public static IEnumerable<FieldNode> Elements(FieldNode list) => list.Children.Where(c => c.Name.StartsWith('['));

    /// <summary>The JSON text of <paramref name="node"/> on one line.</summary>
    public static string ToJson(FieldNode node, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options(indented)))
            Write(node, json);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writer options shared with callers that embed a field map in a larger document.</summary>
    public static JsonWriterOptions Options(bool indented = false) => new()
    {
        Indented = indented,
        // Field names and RFC names are ASCII; keep any other text readable instead of \u-escaped.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
