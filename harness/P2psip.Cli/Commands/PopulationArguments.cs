using System.CommandLine;
using P2psip.Adversary;
using P2psip.Adversary.Personas;

namespace P2psip.Cli.Commands;

/// <summary>
/// The options of a malicious population, shared by <c>sim</c> and <c>sim curve</c>:
/// <c>--malicious F --persona NAME [--persona-file SCENARIO] [--placement random|victim:HEX]</c>.
/// Every value is checked before anything runs; a bad one is one line naming the option or file.
/// </summary>
internal sealed class PopulationArguments
{
    public Option<double?> Malicious { get; } = new("--malicious") { Description = "Fraction of the peers that are the persona, in [0, 1)" };
    public Option<string?> Persona { get; } = new("--persona") { Description = $"The persona: {string.Join(", ", PersonaCatalogue.Names)}" };
    public Option<FileInfo?> PersonaFile { get; } = new("--persona-file") { Description = "A scenario file to run as the persona instead of a named one" };
    public Option<string> Placement { get; } = new("--placement") { Description = "Where the persona peers go: random, or victim:HEX (around the peer responsible for HEX)", DefaultValueFactory = _ => "random" };
    public Option<string> Lookup { get; } = new("--lookup") { Description = "Lookup mode: plain, or redundant[:d] (the Store and Fetch over routes a requester-controlled walk finds, §13.6.6)", DefaultValueFactory = _ => LookupModes.Plain };

    public Option<bool> BulkJoin { get; } = new("--bulk-join") { Description = "Place the (honest) peers with their Chord tables computed from the sorted ring, then settle them by the protocol, instead of joining them one by one (much faster; the same Node-IDs and lookups)" };

    public static PopulationArguments Create() => new();

    public void AddTo(Command command, bool withMalicious = true, bool withLookup = true)
    {
        if (withMalicious) command.Options.Add(Malicious);
        command.Options.Add(Persona);
        command.Options.Add(PersonaFile);
        command.Options.Add(Placement);
        command.Options.Add(BulkJoin);
        if (withMalicious && withLookup) command.Options.Add(Lookup);
    }

    public bool Given(ParseResult r) =>
        r.GetValue(Malicious) is not null || r.GetValue(Persona) is not null || r.GetValue(PersonaFile) is not null;

    public PopulationOptions Read(ParseResult r, int peers, int seed, int lookups, string[] disabled, double? fraction = null, string? lookupMode = null)
    {
        if (peers < 2 || peers > 1_000_000) throw new CliError("--peers must be between 2 and 1000000 with a malicious population");
        if (lookups < 0) throw new CliError("--lookups must not be negative");
        foreach (var off in disabled)
            if (!P2psip.Peer.DefenceSwitches.Catalogue.Any(d => d.Name == off))
                throw new CliError($"unknown defence '{off}'; known: {string.Join(", ", P2psip.Peer.DefenceSwitches.Catalogue.Select(d => d.Name))}");
        double f = fraction ?? r.GetValue(Malicious) ?? 0;
        if (double.IsNaN(f) || f < 0 || f >= 1) throw new CliError($"--malicious {f}: the fraction must be at least 0 and below 1");
        var (name, scenario) = ReadPersona(r);
        Placement placement;
        try { placement = Adversary.Personas.Placement.Parse(r.GetValue(Placement) ?? "random"); }
        catch (ArgumentException e) { throw new CliError($"--placement: {e.Message}"); }
        var mode = lookupMode ?? r.GetValue(Lookup) ?? LookupModes.Plain;
        try { LookupModes.Check(mode); }
        catch (ArgumentException e) { throw new CliError($"--lookup: {e.Message}"); }
        int honest = peers - (int)Math.Round(f * peers);
        if (honest < 2) throw new CliError($"--malicious {f}: leaves {honest} honest peer(s) of {peers}; at least two are needed");
        return new PopulationOptions
        {
            Peers = peers,
            Seed = seed,
            Lookups = lookups,
            MaliciousFraction = f,
            Persona = name,
            Scenario = scenario,
            Placement = placement,
            LookupMode = mode,
            DisabledDefences = disabled,
            BulkJoin = r.GetValue(BulkJoin),
        };
    }

    private (string Name, Scenario Scenario) ReadPersona(ParseResult r)
    {
        var name = r.GetValue(Persona);
        if (r.GetValue(PersonaFile) is { } file)
        {
            Scenario scenario;
            try { scenario = ScenarioFile.Load(file.FullName); }
            catch (ScenarioFileException e) { throw new CliError(e.Message); }
            try { SimulatedPersonas.CheckUsable(scenario); }
            catch (ArgumentException e) { throw new CliError($"{file.FullName}: {e.Message}"); }
            return (name ?? scenario.Name, scenario);
        }
        if (name is null) throw new CliError($"--persona NAME or --persona-file SCENARIO is needed with --malicious; personas: {string.Join(", ", PersonaCatalogue.Names)}");
        Scenario persona;
        try { persona = PersonaCatalogue.Load(name); }
        catch (ArgumentException e) { throw new CliError($"--persona: {e.Message}"); }
        // Checked before any peer is built: a persona with a foreign or self-signed identity (impostor) needs a CA the ring does not have.
        try { SimulatedPersonas.CheckUsable(persona); }
        catch (ArgumentException e) { throw new CliError($"--persona {name}: not available in the simulator: {e.Message}"); }
        return (name, persona);
    }
}
