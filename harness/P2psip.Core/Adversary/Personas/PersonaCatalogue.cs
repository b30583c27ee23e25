namespace P2psip.Adversary.Personas;

/// <summary>
/// The personas of issue 8 by name: the scenario files of <c>fixtures/scenarios/</c>, built into
/// the assembly so the CLI finds them wherever it is installed.
/// </summary>
public static class PersonaCatalogue
{
    private const string Prefix = "P2psip.Adversary.Personas.";

    /// <summary>Every persona's name (the file name without .yaml), sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(PersonaCatalogue).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".yaml".Length]).Order(StringComparer.Ordinal).ToList();

    /// <summary>The persona's scenario; an unknown name is an error that lists the known ones.</summary>
    public static Scenario Load(string name)
    {
        using var stream = typeof(PersonaCatalogue).Assembly.GetManifestResourceStream(Prefix + name + ".yaml")
            ?? throw new ArgumentException($"unknown persona '{name}'; known: {string.Join(", ", Names)}");
        using var reader = new StreamReader(stream);
        return ScenarioFile.Parse(reader.ReadToEnd(), $"fixtures/scenarios/{name}.yaml");
    }
}
