using System.Diagnostics;
using System.Globalization;
using P2psip.NetFuzz;
using P2psip.Peer;

namespace P2psip.Benchmarks;

/// <summary>
/// Network fuzzing (issue 12): cases per second against the embedded reference over TLS with the
/// liveness probe after every case, for SECONDS; then, for each injected fault, how many cases and
/// how long a campaign of seed 1 from case 0 takes to find it.
/// </summary>
public static class NetFuzzThroughput
{
    public static int Run(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 30;
        return RunAsync(seconds, args.Contains("--no-faults")).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(double seconds, bool skipFaults)
    {
        var root = Path.Combine(Path.GetTempPath(), "p2psip-netfuzz-bench-" + Environment.ProcessId);
        var clean = new FuzzSettings { Seed = 1, DurationSeconds = seconds, Out = Path.Combine(root, "clean") };
        var result = await new FuzzCampaign(clean, "benchmark").RunAsync(CancellationToken.None);
        Console.WriteLine($"embedded reference, TLS, liveness after every case: {result.SummaryLine}");
        if (skipFaults) return 0;
        foreach (var fault in InjectedFault.Catalogue)
        {
            var settings = new FuzzSettings { Seed = 1, Cases = 20_000, InjectedFault = fault.Name, StopOnFailure = true, Minimise = false, Out = Path.Combine(root, fault.Name) };
            var clock = Stopwatch.StartNew();
            var found = await new FuzzCampaign(settings, "benchmark").RunAsync(CancellationToken.None);
            var failure = found.Failures.FirstOrDefault();
            Console.WriteLine(failure is null
                ? $"{fault.Name}: not found in {found.Cases} cases ({clock.Elapsed.TotalSeconds:0.0} s)"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{fault.Name}: found at {failure.Id} ({failure.Verdict}) after {found.Cases} cases, {clock.Elapsed.TotalSeconds:0.0} s including the rerun"));
        }
        return 0;
    }
}
