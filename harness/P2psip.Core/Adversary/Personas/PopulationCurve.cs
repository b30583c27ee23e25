using System.Text;
using System.Text.Json.Serialization;
using P2psip.Peer.Simulation;

namespace P2psip.Adversary.Personas;

/// <summary>One point of a curve: a lookup mode at one malicious fraction, and the single-path expectation (1−F)^h.</summary>
public sealed record CurvePoint
{
    [JsonPropertyName("lookupMode")] public required string LookupMode { get; init; }
    [JsonPropertyName("maliciousFraction")] public double MaliciousFraction { get; init; }
    [JsonPropertyName("correctAnswerRate")] public double CorrectAnswerRate { get; init; }
    [JsonPropertyName("wrongAnswerRate")] public double WrongAnswerRate { get; init; }
    [JsonPropertyName("noAnswerRate")] public double NoAnswerRate { get; init; }
    /// <summary>Mean hops of a plain lookup's one path; absent for a redundant lookup (a walk and several Fetches are no one path: see messagesPerLookup).</summary>
    [JsonPropertyName("meanHops"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? MeanHops { get; init; }
    [JsonPropertyName("messagesPerLookup")] public double MessagesPerLookup { get; init; }
    [JsonPropertyName("simulatedMessages")] public long SimulatedMessages { get; init; }
    [JsonPropertyName("attackerTableShare")] public double AttackerTableShare { get; init; }
    /// <summary>(1−F)^h with h the mean hops measured at F = 0: a lookup survives when no hop of its path is an attacker.</summary>
    [JsonPropertyName("analytic")] public double Analytic { get; init; }
}

/// <summary>A curve: correct-answer rate against the malicious fraction, per lookup mode (issue 10, item 3).</summary>
public sealed record PopulationCurve
{
    [JsonPropertyName("persona")] public required string Persona { get; init; }
    [JsonPropertyName("peers")] public int Peers { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("lookups")] public int Lookups { get; init; }
    [JsonPropertyName("placement")] public string Placement { get; init; } = "random";
    /// <summary>How the honest ring was built: "protocol" or "bulk" (<c>--bulk-join</c>); the persona peers always join.</summary>
    [JsonPropertyName("joinMode")] public string JoinMode { get; init; } = SimulationReport.ProtocolJoinMode;
    [JsonPropertyName("defencesOff")] public IReadOnlyList<string> DefencesOff { get; init; } = [];
    /// <summary>h of the analytic line: mean hops of the plain lookups at F = 0.</summary>
    [JsonPropertyName("hopsAtZero")] public double HopsAtZero { get; init; }
    [JsonPropertyName("points")] public IReadOnlyList<CurvePoint> Points { get; init; } = [];

    /// <summary>
    /// Runs one population per fraction and mode, each from the same seed (so the honest ring is the
    /// same at every point); F = 0 is run for h even when not asked for.
    /// </summary>
    public static PopulationCurve Run(PopulationOptions template, IReadOnlyList<double> fractions, IReadOnlyList<string> modes, Action<string>? progress = null)
    {
        foreach (var mode in modes) LookupModes.Check(mode);
        var reports = new Dictionary<(string, double), SimulationReport>();
        SimulationReport RunAt(string mode, double f)
        {
            if (reports.TryGetValue((mode, f), out var known)) return known;
            progress?.Invoke($"{mode} lookups, F = {f}");
            var r = PopulationSimulation.Run(template with { MaliciousFraction = f, LookupMode = mode });
            reports[(mode, f)] = r;
            return r;
        }
        double h = RunAt(LookupModes.Plain, 0).MeanHops;
        var points = new List<CurvePoint>();
        foreach (var mode in modes)
            foreach (var f in fractions)
            {
                var r = RunAt(mode, f);
                points.Add(new CurvePoint
                {
                    LookupMode = mode,
                    MaliciousFraction = f,
                    CorrectAnswerRate = r.CorrectAnswerRate ?? 0,
                    WrongAnswerRate = r.WrongAnswerRate ?? 0,
                    NoAnswerRate = r.NoAnswerRate ?? 0,
                    MeanHops = LookupModes.Parse(mode).IsRedundant ? null : r.MeanHops,
                    MessagesPerLookup = r.MessagesPerLookup,
                    SimulatedMessages = r.SimulatedMessages ?? 0,
                    AttackerTableShare = r.AttackerTableShare ?? 0,
                    Analytic = Math.Round(Math.Pow(1 - f, h), 6),
                });
            }
        var first = reports.Values.First();
        return new PopulationCurve
        {
            Persona = first.Persona ?? template.Persona,
            Peers = template.Peers,
            Seed = template.Seed,
            Lookups = template.Lookups,
            Placement = template.Placement.ToString(),
            JoinMode = first.JoinMode,
            DefencesOff = first.DefencesOff,
            HopsAtZero = h,
            Points = points,
        };
    }

    /// <summary>The table as CSV (invariant culture, one row per point).</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("persona,lookupMode,maliciousFraction,correctAnswerRate,wrongAnswerRate,noAnswerRate,meanHops,messagesPerLookup,simulatedMessages,attackerTableShare,analytic\n");
        foreach (var p in Points)
            csv.Append(FormattableString.Invariant($"{Persona},{p.LookupMode},{p.MaliciousFraction},{p.CorrectAnswerRate},{p.WrongAnswerRate},{p.NoAnswerRate},{p.MeanHops},{p.MessagesPerLookup},{p.SimulatedMessages},{p.AttackerTableShare},{p.Analytic}\n"));
        return csv.ToString();
    }
}
