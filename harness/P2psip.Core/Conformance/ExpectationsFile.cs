using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace P2psip.Conformance;

/// <summary>
/// The <c>--expect</c> file (issue 13): known deviations of a SUT, as YAML mapping case IDs to the
/// verdict expected and why (TLS-Anvil's expected-results idea). A result that differs in either
/// direction fails the run with "update or remove the entry".
/// <code>
/// TR-1b-01:
///   verdict: fail
///   why: our peer accepts client links without a certificate (vendor ticket 123)
/// </code>
/// </summary>
public static class ExpectationsFile
{
    /// <summary>Reads the file; any problem is an <see cref="InvalidDataException"/> naming the file, line and entry.</summary>
    public static IReadOnlyDictionary<string, Expectation> Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InvalidDataException($"{path}: {e.Message}", e); }
        return Parse(text, path);
    }

    public static IReadOnlyDictionary<string, Expectation> Parse(string text, string name = "expectations")
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new InvalidDataException($"{name}:{e.Start.Line}: not YAML: {e.Message}", e); }
        var result = new Dictionary<string, Expectation>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0) return result;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidDataException($"{name}:{stream.Documents[0].RootNode.Start.Line}: expected a mapping of case IDs to {{verdict, why}}");
        foreach (var (key, value) in root.Children)
        {
            var id = (key as YamlScalarNode)?.Value ?? throw new InvalidDataException($"{name}:{key.Start.Line}: a case ID must be a plain word");
            if (value is not YamlMappingNode entry) throw new InvalidDataException($"{name}:{value.Start.Line}: {id}: expected 'verdict:' and 'why:'");
            string? Field(string field) => entry.Children.TryGetValue(new YamlScalarNode(field), out var node) ? (node as YamlScalarNode)?.Value : null;
            var word = Field("verdict") ?? throw new InvalidDataException($"{name}:{entry.Start.Line}: {id}: 'verdict' is missing");
            var verdict = VerdictNames.Parse(word)
                ?? throw new InvalidDataException($"{name}:{entry.Start.Line}: {id}: verdict '{word}' is none of {string.Join(", ", VerdictNames.All.Select(v => v.Word()))}");
            var why = Field("why");
            if (string.IsNullOrWhiteSpace(why)) throw new InvalidDataException($"{name}:{entry.Start.Line}: {id}: 'why' is missing: say why the deviation is expected");
            if (!result.TryAdd(id, new Expectation(verdict, why))) throw new InvalidDataException($"{name}:{key.Start.Line}: {id} appears twice");
        }
        return result;
    }
}
