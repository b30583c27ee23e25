namespace P2psip.Adversary.Personas;

/// <summary>How a malicious population is placed: at random Node-IDs, or around a victim.</summary>
public sealed record Placement
{
    public static Placement Random { get; } = new();

    /// <summary>Around a victim: the honest peer responsible for this id (hex) gets the attackers as its neighbours and fingers.</summary>
    public Wire.Opaque? Victim { get; init; }

    public override string ToString() => Victim is { } v ? $"victim:{v.ToHex()}" : "random";

    /// <summary>"random" or "victim:HEX"; an error names what is wrong.</summary>
    public static Placement Parse(string text)
    {
        if (text == "random") return Random;
        if (text.StartsWith("victim:", StringComparison.Ordinal) && NodeResolver.TryHex(text["victim:".Length..], out var id) && id.Length <= 16)
        {
            var padded = new byte[16];
            id.Span.CopyTo(padded.AsSpan(16 - id.Length));
            return new Placement { Victim = padded };
        }
        throw new ArgumentException($"placement '{text}': expected random or victim:HEX (a Node-ID of at most 32 hex digits)");
    }
}

/// <summary>A simulated ring of which a fraction of the peers are a persona (issue 10, populations).</summary>
public sealed record PopulationOptions
{
    public int Peers { get; init; } = 100;
    public int Seed { get; init; }
    public int Lookups { get; init; } = 200;
    /// <summary>The fraction of the peers that are the persona, in [0, 1).</summary>
    public double MaliciousFraction { get; init; }
    /// <summary>The persona's name (a file of fixtures/scenarios) or, with <see cref="Scenario"/>, its scenario's.</summary>
    public required string Persona { get; init; }
    /// <summary>The scenario to run (a --persona-file); null loads <see cref="Persona"/> from the catalogue.</summary>
    public Scenario? Scenario { get; init; }
    public Placement Placement { get; init; } = Placement.Random;
    public string LookupMode { get; init; } = LookupModes.Plain;
    public IReadOnlyList<string> DisabledDefences { get; init; } = [];
    public int StabilizationRounds { get; init; } = 1;

    /// <summary>The honest peers are placed in bulk (<see cref="Peer.Simulation.SimulatedRing.BuildInBulk"/>); the persona peers always join by the protocol.</summary>
    public bool BulkJoin { get; init; }
}

/// <summary>The lookup modes of <c>--lookup</c>: plain, or redundant[:d] (the Store and Fetch over the routes a walk finds, issue 10 item 2).</summary>
public static class LookupModes
{
    public const string Plain = "plain";

    /// <summary>Checks a mode and gives its canonical name (<c>redundant</c> is <c>redundant:3</c>); an unknown one is refused in so many words.</summary>
    public static string Check(string mode) => Parse(mode).ToString();

    public static Peer.Lookup.LookupMode Parse(string mode) =>
        Peer.Lookup.LookupMode.Parse(mode, out var why) ?? throw new ArgumentException($"unknown lookup mode: {why}");
}
