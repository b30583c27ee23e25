using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace P2psip.Adversary;

/// <summary>
/// Scenario files: YAML checked against <c>schemas/scenario.schema.json</c>, then read into the
/// model. Any problem — YAML syntax, schema, a name that does not resolve — is one
/// <see cref="ScenarioFileException"/> naming the file, the line and the field.
/// </summary>
public static class ScenarioFile
{
    public static Scenario Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ScenarioFileException(path, 0, "(file)", e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : $"cannot read: {e.Message}");
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>
    /// Reads a scenario from YAML text. With <paramref name="baseDirectory"/>, the key and certificate
    /// files identities name are checked to exist there.
    /// </summary>
    public static Scenario Parse(string text, string file = "(scenario)", string? baseDirectory = null)
    {
        YamlJson doc;
        try { doc = YamlJson.Parse(text); }
        catch (YamlException e)
        {
            var inner = e.InnerException is YamlException i ? i : e;
            throw new ScenarioFileException(file, (int)inner.Start.Line, "(yaml)", OneLine(inner.Message));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some unclosed flow collections.
            throw new ScenarioFileException(file, text.TrimEnd('\n').Split('\n').Length, "(yaml)", "not valid YAML: an unclosed [ or { before the end of the file?");
        }
        if (doc.Root is not JsonObject root) throw new ScenarioFileException(file, 1, "(document)", "a scenario is a mapping with name and rules");
        if (ScenarioSchema.FirstError(root) is { } error)
            throw new ScenarioFileException(file, doc.LineOf(error.Pointer), FieldName(error.Pointer, error.Message), OneLine(error.Message));
        Scenario scenario;
        try { scenario = ScenarioReader.Read(root); }
        catch (ScenarioReader.Problem p)
        {
            throw new ScenarioFileException(file, doc.LineOf(p.Pointer), FieldName(p.Pointer, p.Message), p.Message);
        }
        if (baseDirectory is not null)
            for (int i = 0; i < scenario.Identities.Count; i++)
                foreach (var (key, name) in new[] { ("key", scenario.Identities[i].KeyFile), ("cert", scenario.Identities[i].CertificateFile) })
                    if (name is not null && !File.Exists(Path.Combine(baseDirectory, name)))
                    {
                        var pointer = $"/identities/{i}/{key}";
                        throw new ScenarioFileException(file, doc.LineOf(pointer), FieldName(pointer, ""), $"no such file: {Path.Combine(baseDirectory, name)}");
                    }
        return scenario;
    }

    /// <summary>The normalised YAML of a scenario; <see cref="Parse"/> reads it back equal.</summary>
    public static string Save(Scenario scenario) => ScenarioWriter.Write(scenario);

    /// <summary><c>/rules/0/actions/1/delay/ms</c> → <c>rules[0].actions[1].delay.ms</c>; a missing required field is named too.</summary>
    internal static string FieldName(string pointer, string message)
    {
        var parts = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        var required = System.Text.RegularExpressions.Regex.Match(message, "Required properties \\[\"?([A-Za-z_]+)");
        if (required.Success) parts.Add(required.Groups[1].Value);
        if (parts.Count == 0) return "(document)";
        var sb = new System.Text.StringBuilder();
        foreach (var p in parts)
        {
            if (p.All(char.IsDigit)) sb.Append('[').Append(p).Append(']');
            else
            {
                if (sb.Length > 0) sb.Append('.');
                sb.Append(p);
            }
        }
        return sb.ToString();
    }

    private static string OneLine(string s) => string.Join(' ', s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
