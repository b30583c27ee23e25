using System.Diagnostics;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.Simulation;
using P2psip.Wire;

namespace P2psip.Adversary.Personas;

/// <summary>
/// A signed simulated ring of reference peers of which round(F·N) are a persona (issue 10, item 1):
/// the honest peers join first, then the persona peers — at the Node-IDs their scenario's identities
/// name (a Sybil's, a colluder's), then at random or around a victim — then the value lookups
/// (<see cref="ValueLookups"/>) run between honest peers. Everything comes from the seed.
/// </summary>
public static class PopulationSimulation
{
    public static SimulationReport Run(PopulationOptions options, Action<string>? progress = null)
    {
        if (options.Peers < 2) throw new ArgumentOutOfRangeException(nameof(options), "a population needs at least two peers");
        if (options.MaliciousFraction is < 0 or >= 1 || double.IsNaN(options.MaliciousFraction))
            throw new ArgumentOutOfRangeException(nameof(options), "the malicious fraction must be at least 0 and below 1");
        var mode = LookupModes.Parse(options.LookupMode);
        var scenario = options.Scenario ?? PersonaCatalogue.Load(options.Persona);
        var wall = Stopwatch.StartNew();
        int malicious = (int)Math.Round(options.MaliciousFraction * options.Peers);
        int honestCount = options.Peers - malicious;
        if (honestCount < 2) throw new ArgumentOutOfRangeException(nameof(options), "a population needs at least two honest peers");

        GC.Collect();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var ring = new SimulatedRing(options.Seed, signatures: true, options.DisabledDefences, engineStorage: true);
        var build = Stopwatch.StartNew();
        int step = Math.Max(1, options.Peers / 10);
        if (options.BulkJoin) ring.BuildInBulk(honestCount, n => progress?.Invoke($"{n} peers placed"));
        else ring.Build(honestCount, n => { if (n % step == 0) progress?.Invoke($"{n} peers joined"); });
        var personas = new SimulatedPersonas(ring, scenario, keepDecisions: false);
        var failures = new List<string>();
        foreach (var nodeId in Positions(ring, personas, options.Placement, malicious))
        {
            if (personas.TryJoin(out _, nodeId) is { } failure) failures.Add(failure);
            if (ring.Peers.Count % step == 0) progress?.Invoke($"{ring.Peers.Count} peers joined");
        }
        for (int i = 0; i < options.StabilizationRounds; i++) personas.Stabilize();
        build.Stop();
        long messagesToBuild = ring.Network.MessagesDelivered;
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        var (succ, pred) = ring.CountCorrectNeighbours();
        var honest = ring.Live.Where(p => !personas.IsMember(p.NodeId)).ToList();
        progress?.Invoke($"ring built in {build.Elapsed.TotalSeconds:F1} s ({personas.Members.Count} of them {scenario.Name}); running {options.Lookups} lookups");
        var lookupWatch = Stopwatch.StartNew();
        var lookups = ValueLookups.Run(ring, options.Lookups, honest, mode);
        lookupWatch.Stop();
        var summary = ValueLookupSummary.Of(lookups);
        var hops = lookups.Where(l => l.Verdict == LookupVerdict.Correct).Select(l => l.Hops).Order().ToList();
        var report = SimulationReport.OfRing(ring, options.Peers, options.Seed, (succ, pred), messagesToBuild,
            (memoryAfter - memoryBefore) / options.Peers, build.Elapsed, lookupWatch.Elapsed, wall.Elapsed) with
        {
            Lookups = options.Lookups,
            LookupSuccessRate = summary.CorrectRate,
            MeanHops = summary.MeanHops,
            P99Hops = hops.Count == 0 ? 0 : hops[Math.Clamp((int)Math.Ceiling(0.99 * hops.Count) - 1, 0, hops.Count - 1)],
            MaxHops = hops.Count == 0 ? 0 : hops[^1],
            MessagesPerLookup = summary.MessagesPerLookup,
            MaliciousFraction = options.MaliciousFraction,
            MaliciousPeers = personas.Members.Count(p => p.State == PeerState.Joined),
            Persona = scenario.Name,
            Placement = options.Placement.ToString(),
            LookupMode = mode.ToString(),
            JoinMode = options.BulkJoin ? SimulationReport.BulkJoinMode : SimulationReport.ProtocolJoinMode,
            CorrectAnswerRate = summary.CorrectRate,
            WrongAnswerRate = summary.WrongRate,
            NoAnswerRate = summary.NoAnswerRate,
            SimulatedMessages = messagesToBuild + summary.Messages,
            AttackerTableShare = AttackerTableShare(ring, honest),
            PersonaJoinFailures = failures,
        };
        GC.KeepAlive(ring);
        return report;
    }

    /// <summary>
    /// Where the persona peers go: first the Node-IDs the scenario's identities name, then around the
    /// victim (its successors, its predecessors and its finger targets, §10.3) or at random (null:
    /// the ring draws one).
    /// </summary>
    internal static IEnumerable<Opaque?> Positions(SimulatedRing ring, SimulatedPersonas personas, Placement placement, int count)
    {
        var chosen = personas.ChosenPositions.Select(p => p.NodeId).Distinct().Take(count).Select(n => (Opaque?)n).ToList();
        foreach (var c in chosen) yield return c;
        if (placement.Victim is not { } victimId)
        {
            for (int i = chosen.Count; i < count; i++) yield return null;
            yield break;
        }
        var victim = ring.TrueResponsible(RingId.From(victimId));
        var around = new List<RingId>();
        for (int k = 1; around.Count < count - chosen.Count; k++)
        {
            around.Add(victim.Add((UInt128)k));                       // a successor
            around.Add(victim.Add(UInt128.MaxValue - (UInt128)k + 1)); // a predecessor
            if (k <= 120) around.Add(victim.Add((UInt128.One << (128 - k)) + 1)); // a finger target, largest first
        }
        foreach (var position in around.Take(count - chosen.Count)) yield return position.ToOpaque();
    }

    /// <summary>Of the honest peers' neighbour and finger entries, the fraction that is not an honest live peer.</summary>
    public static double AttackerTableShare(SimulatedRing ring, IReadOnlyList<ReferencePeer> honest)
    {
        var good = honest.Where(p => p.State == PeerState.Joined).Select(p => p.NodeId).ToHashSet();
        long entries = 0, bad = 0;
        foreach (var p in honest)
        {
            var s = p.Snapshot();
            foreach (var e in s.Predecessors.Concat(s.Successors).Concat(s.Fingers))
            {
                entries++;
                if (!good.Contains(e)) bad++;
            }
        }
        return entries == 0 ? 0 : Math.Round((double)bad / entries, 6);
    }
}
