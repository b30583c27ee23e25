using System.Diagnostics;
using System.Globalization;
using P2psip.Peer.Simulation;

namespace P2psip.Benchmarks;

/// <summary>
/// The simulator (issue 10, item 4): for rings of 1,000 and 10,000 peers (and 100,000 with
/// <c>--100k</c>; <c>--allocations</c> adds the types allocated most; <c>--bulk</c> builds by the bulk join instead of the protocol), the time to build the ring (wall and the process's CPU time, all threads), simulated messages per second while building, the
/// memory each peer holds and a batch of lookups, one unsigned ring of seed 1 each. Prints the
/// load average beside the figures: the machine is shared, and a loaded machine builds slower.
/// </summary>
public static class SimulatorSpeed
{
    public static int Run(string[] args)
    {
        var sizes = new List<int> { 1_000, 10_000 };
        if (args.Contains("--100k")) sizes.Add(100_000);
        if (args.FirstOrDefault(a => a.StartsWith("--peers=", StringComparison.Ordinal)) is { } only)
            sizes = [.. only["--peers=".Length..].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))];
        bool bulk = args.Contains("--bulk");
        using var sampler = args.Contains("--allocations") ? new AllocationSampler() : null;
        Console.WriteLine("peers    build s  build cpu s   messages   messages/s   bytes/peer  lookups  success  lookup s  load (1 min)");
        foreach (int peers in sizes)
        {
            string loadBefore = LoadAverage();
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double buildCpu = 0;
            var report = RingSimulation.Run(new SimulationOptions { Peers = peers, Seed = 1, Lookups = 1000, BulkJoin = bulk },
                line =>
                {
                    if (line.StartsWith("ring built", StringComparison.Ordinal)) buildCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                    Console.Error.WriteLine($"  [{clock.Elapsed.TotalSeconds,6:0.0} s] {line}");
                });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{peers,-8} {report.BuildSeconds,7:0.0} {buildCpu,12:0.0} {report.MessagesToBuild,10} {report.MessagesToBuild / Math.Max(report.BuildSeconds, 1e-9),12:0} {report.MemoryPerPeerBytes,12} {report.Lookups,8} {report.LookupSuccessRate,8:0.000} {report.LookupSeconds,9:0.00}  {loadBefore} -> {LoadAverage()}"));
        }
        if (sampler is not null)
            foreach (var (type, bytes) in sampler.Top(25)) Console.WriteLine($"{bytes / 1e6,10:0.0} MB  {type}");
        return 0;
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }
}
