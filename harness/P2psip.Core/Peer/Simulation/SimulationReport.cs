using System.Text.Json.Serialization;

namespace P2psip.Peer.Simulation;

/// <summary>What <c>p2psip sim</c> prints: the ring's size and seed, lookup quality and the costs.</summary>
public sealed record SimulationReport
{
    [JsonPropertyName("peers")] public int Peers { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("signatures")] public string Signatures { get; init; } = "";
    [JsonPropertyName("defencesOff")] public IReadOnlyList<string> DefencesOff { get; init; } = [];
    [JsonPropertyName("joined")] public int Joined { get; init; }
    [JsonPropertyName("correctSuccessors")] public int CorrectSuccessors { get; init; }
    [JsonPropertyName("correctPredecessors")] public int CorrectPredecessors { get; init; }
    [JsonPropertyName("lookups")] public int Lookups { get; init; }
    [JsonPropertyName("lookupSuccessRate")] public double LookupSuccessRate { get; init; }
    [JsonPropertyName("meanHops")] public double MeanHops { get; init; }
    [JsonPropertyName("p99Hops")] public int P99Hops { get; init; }
    [JsonPropertyName("maxHops")] public int MaxHops { get; init; }
    [JsonPropertyName("log2N")] public double Log2N { get; init; }
    [JsonPropertyName("halfLog2N")] public double HalfLog2N { get; init; }
    [JsonPropertyName("messagesPerLookup")] public double MessagesPerLookup { get; init; }
    [JsonPropertyName("messagesToBuild")] public long MessagesToBuild { get; init; }
    [JsonPropertyName("memoryPerPeerBytes")] public long MemoryPerPeerBytes { get; init; }
    [JsonPropertyName("buildSeconds")] public double BuildSeconds { get; init; }
    [JsonPropertyName("lookupSeconds")] public double LookupSeconds { get; init; }
    [JsonPropertyName("wallSeconds")] public double WallSeconds { get; init; }
    [JsonPropertyName("virtualSeconds")] public double VirtualSeconds { get; init; }

    /// <summary>How the ring was built: "protocol" (every peer joined one by one, §10.5) or "bulk" (placed with computed tables, then settled).</summary>
    [JsonPropertyName("joinMode")] public string JoinMode { get; init; } = ProtocolJoinMode;

    public const string ProtocolJoinMode = "protocol", BulkJoinMode = "bulk";

    /// <summary>plain, or redundant:d (issue 10); the Ping lookups above are always plain.</summary>
    [JsonPropertyName("lookupMode")] public string LookupMode { get; init; } = "plain";

    // The Fetch lookups of --lookup, judged by what they return (VerifiedLookups); absent without --lookup.
    [JsonPropertyName("verifiedLookups"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? VerifiedLookups { get; init; }
    [JsonPropertyName("correctAnswerRate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? CorrectAnswerRate { get; init; }
    [JsonPropertyName("wrongAnswerRate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? WrongAnswerRate { get; init; }
    [JsonPropertyName("noAnswerRate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? NoAnswerRate { get; init; }
    [JsonPropertyName("messagesPerVerifiedLookup"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? MessagesPerVerifiedLookup { get; init; }
    // A malicious population (issue 10; absent from a ring without one). Lookups then Store a value
    // and Fetch it: meanHops and messagesPerLookup are those lookups'.
    [JsonPropertyName("maliciousFraction"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? MaliciousFraction { get; init; }
    [JsonPropertyName("maliciousPeers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? MaliciousPeers { get; init; }
    [JsonPropertyName("persona"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Persona { get; init; }
    [JsonPropertyName("placement"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Placement { get; init; }
    [JsonPropertyName("simulatedMessages"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? SimulatedMessages { get; init; }
    /// <summary>Of the honest peers' neighbour and finger entries, the fraction naming an attacker or a Node-ID no live peer has.</summary>
    [JsonPropertyName("attackerTableShare"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? AttackerTableShare { get; init; }
    [JsonPropertyName("personaJoinFailures"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? PersonaJoinFailures { get; init; }

    /// <summary>
    /// What every simulation report says of its ring (plain rings and malicious populations alike):
    /// size, seed, signatures, defences off, joins and neighbour tables, the build's cost and the
    /// times; the lookup fields are the caller's.
    /// </summary>
    public static SimulationReport OfRing(SimulatedRing ring, int peers, int seed, (int Successors, int Predecessors) neighbours,
        long messagesToBuild, long memoryPerPeerBytes, TimeSpan build, TimeSpan lookups, TimeSpan wall)
    {
        double log2 = Math.Log2(Math.Max(1, peers));
        return new SimulationReport
        {
            Peers = peers,
            Seed = seed,
            Signatures = ring.SignatureMode,
            DefencesOff = ring.Defences.Disabled.Select(d => d.Name).ToList(),
            Joined = ring.Live.Count(),
            CorrectSuccessors = neighbours.Successors,
            CorrectPredecessors = neighbours.Predecessors,
            Log2N = Math.Round(log2, 3),
            HalfLog2N = Math.Round(log2 / 2, 3),
            MessagesToBuild = messagesToBuild,
            MemoryPerPeerBytes = memoryPerPeerBytes,
            BuildSeconds = Math.Round(build.TotalSeconds, 3),
            LookupSeconds = Math.Round(lookups.TotalSeconds, 3),
            WallSeconds = Math.Round(wall.TotalSeconds, 3),
            VirtualSeconds = Math.Round((ring.Scheduler.Now - ring.Scheduler.Start).TotalSeconds, 3),
        };
    }
}
