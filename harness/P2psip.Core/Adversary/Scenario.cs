using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// What an adversary does, as data (TLS-Attacker's "an attack is a trace that serialises and
/// reloads unchanged"): a name, an optional run seed, the harness identities it signs as, named
/// nodes it can send to, and rules tried in order for every message. Loaded from YAML by
/// <see cref="ScenarioFile"/> or built with <see cref="ScenarioBuilder"/>; records with value
/// equality, so load → save → load can be checked.
/// </summary>
public sealed record Scenario(string Name)
{
    /// <summary>The run seed; null lets the engine take one and print it.</summary>
    public ulong? Seed { get; init; }
    public string? Description { get; init; }
    public ValueList<ScenarioIdentity> Identities { get; init; } = ValueList<ScenarioIdentity>.Empty;
    public ValueList<ScenarioNode> Nodes { get; init; } = ValueList<ScenarioNode>.Empty;
    public ValueList<Rule> Rules { get; init; } = ValueList<Rule>.Empty;

    /// <summary>
    /// The Node-IDs that answered where the steps were captured: with the destination rewrite, a
    /// step's Node destination naming one of them names the target instead (§6.3.2.2).
    /// </summary>
    public ValueList<Opaque> Responders { get; init; } = ValueList<Opaque>.Empty;

    /// <summary>Messages to send and answers to expect (<c>p2psip scenario run</c>); empty for a scenario of rules only.</summary>
    public ValueList<ScenarioStep> Steps { get; init; } = ValueList<ScenarioStep>.Empty;

    public ScenarioIdentity? Identity(string name) => Identities.FirstOrDefault(i => i.Name == name);
}

/// <summary>A node the scenario names (to redirect or replay to it, or match on it), by Node-ID.</summary>
public sealed record ScenarioNode(string Name, Opaque NodeId);
