using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace P2psip.Adversary;

/// <summary>
/// The JSON Schema of scenario files (<c>schemas/scenario.schema.json</c>, embedded), and the most
/// specific error it finds in a document: where (a JSON pointer) and what.
/// </summary>
public static class ScenarioSchema
{
    private static readonly Lazy<string> TextOnce = new(() =>
    {
        using var stream = typeof(ScenarioSchema).Assembly.GetManifestResourceStream("P2psip.Adversary.scenario.schema.json")
            ?? throw new InvalidOperationException("the scenario schema is not embedded in P2psip.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static readonly Lazy<JsonSchema> SchemaOnce = new(() => JsonSchema.FromText(TextOnce.Value));

    public static string Text => TextOnce.Value;

    /// <summary>The first, deepest failure as (instance pointer, message), or null when the document is valid.</summary>
    public static (string Pointer, string Message)? FirstError(JsonNode? document)
    {
        using var json = JsonDocument.Parse(document?.ToJsonString() ?? "null");
        var results = SchemaOnce.Value.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return null;
        var failures = (results.Details ?? [])
            .Where(d => !d.IsValid && d.Errors is { Count: > 0 })
            .Select(d => (Pointer: d.InstanceLocation.ToString(), Keyword: d.EvaluationPath.ToString(), Errors: d.Errors!))
            .ToList();
        if (failures.Count == 0) return ("", "does not match the scenario schema");
        // The deepest location is the most specific; among equals prefer what is not a "oneOf" summary.
        var best = failures
            .OrderByDescending(f => f.Pointer.Count(c => c == '/'))
            .ThenBy(f => f.Errors.ContainsKey("oneOf") ? 1 : 0)
            .First();
        var (key, message) = best.Errors.First();
        return (best.Pointer, Describe(key, message));
    }

    // additionalProperties: false reports each extra property as failing "the false schema".
    private static string Describe(string keyword, string message) =>
        keyword is "false" or "additionalProperties" || message.Contains("false schema", StringComparison.Ordinal) ? "unknown field" : message;
}
