using System.Diagnostics;

namespace P2psip.Peer.Simulation;

/// <summary>Builds a simulated ring, measures lookups and reports (the <c>p2psip sim</c> verb).</summary>
public static class RingSimulation
{
    public static SimulationReport Run(SimulationOptions options, Action<string>? progress = null)
    {
        if (options.Peers < 1) throw new ArgumentOutOfRangeException(nameof(options), "a ring needs at least one peer");
        // One thread allocates fast and keeps a large heap: background collections only add work to it.
        var latency = System.Runtime.GCSettings.LatencyMode;
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
        try
        {
            return Measure(options, progress);
        }
        finally
        {
            System.Runtime.GCSettings.LatencyMode = latency;
        }
    }

    private static SimulationReport Measure(SimulationOptions options, Action<string>? progress)
    {
        var wall = Stopwatch.StartNew();
        GC.Collect();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var ring = new SimulatedRing(options.Seed, options.Signatures, options.DisabledDefences, engineStorage: options.Lookup is not null);
        var build = Stopwatch.StartNew();
        int step = Math.Max(1, options.Peers / 10);
        if (options.BulkJoin) ring.BuildInBulk(options.Peers, n => progress?.Invoke($"{n} peers placed"));
        else ring.Build(options.Peers, n => { if (n % step == 0) progress?.Invoke($"{n} peers joined"); });
        for (int i = 0; i < options.StabilizationRounds; i++) ring.Stabilize();
        build.Stop();
        long messagesToBuild = ring.Network.MessagesDelivered;
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        var (succ, pred) = ring.CountCorrectNeighbours();
        progress?.Invoke($"ring built in {build.Elapsed.TotalSeconds:F1} s; running {options.Lookups} lookups");
        var lookupWatch = Stopwatch.StartNew();
        var results = ring.Lookups(options.Lookups);
        VerifiedLookupResults? verified = null;
        if (options.Lookup is { } mode)
        {
            progress?.Invoke($"running {options.Lookups} {mode} Fetch lookups");
            // Signed rings register AORs first, so the lookups have values to get right (unsigned peers cannot sign them, §7.1).
            verified = VerifiedLookups.Prepare(ring, registrations: options.Signatures ? Math.Min(options.Lookups, 100) : 0).Run(options.Lookups, mode);
        }
        lookupWatch.Stop();
        var report = SimulationReport.OfRing(ring, options.Peers, options.Seed, (succ, pred), messagesToBuild,
            (memoryAfter - memoryBefore) / options.Peers, build.Elapsed, lookupWatch.Elapsed, wall.Elapsed) with
        {
            Lookups = options.Lookups,
            LookupSuccessRate = results.SuccessRate,
            MeanHops = Math.Round(results.MeanHops, 3),
            P99Hops = results.Percentile(0.99),
            MaxHops = results.Hops.Count == 0 ? 0 : results.Hops.Max(),
            MessagesPerLookup = options.Lookups == 0 ? 0 : Math.Round((double)results.Messages / options.Lookups, 3),
            LookupMode = options.Lookup?.ToString() ?? "plain",
            JoinMode = options.BulkJoin ? SimulationReport.BulkJoinMode : SimulationReport.ProtocolJoinMode,
            VerifiedLookups = verified?.Count,
            CorrectAnswerRate = verified is null ? null : Math.Round(verified.CorrectRate, 5),
            WrongAnswerRate = verified is null ? null : Math.Round(verified.WrongRate, 5),
            NoAnswerRate = verified is null ? null : Math.Round(verified.NoAnswerRate, 5),
            MessagesPerVerifiedLookup = verified is null ? null : Math.Round(verified.MessagesPerLookup, 3),
        };
        GC.KeepAlive(ring);
        return report;
    }
}
