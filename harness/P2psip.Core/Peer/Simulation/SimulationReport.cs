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
}
