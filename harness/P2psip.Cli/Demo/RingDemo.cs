using P2psip.Peer.Simulation;

namespace P2psip.Cli.Demo;

/// <summary>A simulated CHORD-RELOAD ring of reference peers (§10) over in-memory links, from one seed.</summary>
internal static class RingDemo
{
    public static DemoStep Run(int peers, int seed)
    {
        var report = RingSimulation.Run(new SimulationOptions { Peers = peers, Seed = seed, Lookups = 500 });
        bool ok = report.Joined == peers && report.CorrectSuccessors == peers && report.LookupSuccessRate >= 1.0;
        return new DemoStep($"peer: simulated ring of {peers} reference peers (seed {seed})", ok,
        [
            $"{report.Joined} joined; {report.CorrectSuccessors} of {peers} have the true successor, {report.CorrectPredecessors} the true predecessor",
            $"{report.Lookups} lookups: {report.LookupSuccessRate:P1} succeeded, mean {report.MeanHops:F2} hops (½·log2 N = {report.HalfLog2N:F2}), p99 {report.P99Hops}",
            $"built in {report.BuildSeconds:F1} s; signatures: {report.Signatures}; rerun with: p2psip sim --peers {peers} --seed {seed}",
        ]);
    }
}
