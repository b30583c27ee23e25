using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using P2psip.Tests.Fuzz;

namespace P2psip.Tests.Conformance.Reports;

/// <summary>Validates JSON against a schema of schemas/ with JsonSchema.Net (draft 2020-12, formats checked).</summary>
internal static class SchemaValidation
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Loaded = new();

    /// <summary>Loaded once per name: JsonSchema.Net registers a schema's $id globally and refuses a second registration.</summary>
    public static JsonSchema Load(string name) =>
        Loaded.GetOrAdd(name, n => JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "schemas", n))));

    /// <summary>The errors, as "location: message" lines; empty when the instance is valid.</summary>
    public static IReadOnlyList<string> Errors(JsonSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid) return [];
        return (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid (no details)")
            .ToList();
    }

    public static string Mutate(string json, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(json)!;
        change(node);
        return node.ToJsonString();
    }
}
