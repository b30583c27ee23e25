using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace P2psip.Adversary;

/// <summary>
/// A YAML document as JSON (for the schema and the model reader), remembering the line of every
/// value by its JSON pointer so an error can name its line. Plain scalars are typed as YAML 1.2's
/// core schema does (null, true/false, integers, floats); quoted scalars are always strings.
/// </summary>
internal sealed class YamlJson
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    private YamlJson() { }

    public JsonNode? Root { get; private set; }

    /// <summary>The line of the value at <paramref name="pointer"/>, or of its nearest enclosing value.</summary>
    public int LineOf(string pointer)
    {
        for (var p = pointer; ; p = p[..p.LastIndexOf('/')])
        {
            if (_lines.TryGetValue(p, out var line)) return line;
            if (p.Length == 0) return 1;
        }
    }

    /// <summary>Parses YAML text; a syntax error throws <see cref="YamlException"/> with its position.</summary>
    public static YamlJson Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var result = new YamlJson();
        result.Root = stream.Documents.Count == 0 ? null : result.Convert(stream.Documents[0].RootNode, "");
        return result;
    }

    private JsonNode? Convert(YamlNode node, string pointer)
    {
        _lines.TryAdd(pointer, (int)node.Start.Line);
        switch (node)
        {
            case YamlMappingNode map:
            {
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = k is YamlScalarNode s ? s.Value ?? "" : throw new YamlException(k.Start, k.End, "a key must be a plain word");
                    var child = pointer + "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                    _lines.TryAdd(child, (int)k.Start.Line);
                    if (obj.ContainsKey(key)) throw new YamlException(k.Start, k.End, $"duplicate key '{key}'");
                    obj[key] = Convert(v, child);
                }
                return obj;
            }
            case YamlSequenceNode seq:
            {
                var array = new JsonArray();
                int i = 0;
                foreach (var item in seq.Children) array.Add(Convert(item, pointer + "/" + (i++).ToString(CultureInfo.InvariantCulture)));
                return array;
            }
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u)) return JsonValue.Create(u);
        if (LooksLikeFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
        return JsonValue.Create(text);
    }

    private static bool LooksLikeFloat(string t) =>
        t.Length > 0 && (char.IsDigit(t[0]) || t[0] is '-' or '+' or '.') && t.All(c => char.IsDigit(c) || c is '.' or 'e' or 'E' or '-' or '+');
}
