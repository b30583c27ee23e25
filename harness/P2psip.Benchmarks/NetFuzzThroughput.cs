using System.Diagnostics;
using System.Globalization;
using P2psip.Conformance;
using P2psip.NetFuzz;
using P2psip.Peer;

namespace P2psip.Benchmarks;

/// <summary>
/// Network fuzzing (issue 12): cases per second with the liveness probe after every case, for
/// SECONDS, against the embedded reference over TLS and against the reference as a separate process
/// (<c>--sut-command 'dotnet p2psip.dll peer ...'</c>, needs the Release CLI built); then, for each
/// injected fault, how many cases and how long a campaign of seed 1 from case 0 takes to find it
/// (found, rerun and, for a fault that needs earlier cases, its shortest tail searched).
/// <c>--no-faults</c> skips the faults, <c>--no-process</c> the separate process.
/// </summary>
public static class NetFuzzThroughput
{
    public static int Run(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 30;
        return RunAsync(seconds, args.Contains("--no-faults"), args.Contains("--no-process")).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(double seconds, bool skipFaults, bool skipProcess)
    {
        var root = Path.Combine(Path.GetTempPath(), "p2psip-netfuzz-bench-" + Environment.ProcessId);
        Console.WriteLine($"load average at start: {LoadAverage()}");
        var clean = new FuzzSettings { Seed = 1, DurationSeconds = seconds, Out = Path.Combine(root, "clean") };
        var result = await new FuzzCampaign(clean, "benchmark").RunAsync(CancellationToken.None);
        Console.WriteLine($"embedded reference, TLS, liveness after every case: {result.SummaryLine}");
        if (!skipProcess)
        {
            if (CliDll() is not { } cli)
            {
                Console.WriteLine("separate process: skipped, no Release p2psip.dll (dotnet build -c Release harness/P2psip.Cli)");
            }
            else
            {
                var lab = Path.Combine(root, "lab");
                LabDirectory.Init(lab, 1);
                var process = new FuzzSettings
                {
                    Seed = 1, DurationSeconds = seconds, Lab = lab, Out = Path.Combine(root, "process"),
                    SutCommand = $"dotnet '{cli}' peer --overlay {{lab}} --identity {{identity}} --listen {{listen}} --first",
                };
                var separate = await new FuzzCampaign(process, "benchmark").RunAsync(CancellationToken.None);
                Console.WriteLine($"reference as a separate process (--sut-command), TLS: {separate.SummaryLine}");
            }
        }
        Console.WriteLine($"load average now: {LoadAverage()}");
        if (skipFaults) return 0;
        foreach (var fault in InjectedFault.Catalogue)
        {
            var settings = new FuzzSettings { Seed = 1, Cases = 20_000, InjectedFault = fault.Name, StopOnFailure = true, Minimise = fault.Times > 1, Out = Path.Combine(root, fault.Name) };
            var clock = Stopwatch.StartNew();
            var found = await new FuzzCampaign(settings, "benchmark").RunAsync(CancellationToken.None);
            var failure = found.Failures.FirstOrDefault();
            Console.WriteLine(failure is null
                ? $"{fault.Name}: not found in {found.Cases} cases ({clock.Elapsed.TotalSeconds:0.0} s)"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{fault.Name}: found at {failure.Id} ({failure.Verdict}{(failure.Tail.Count > 0 ? $", after a tail of {failure.Tail.Count} case(s)" : "")}) after {found.Cases} cases, {clock.Elapsed.TotalSeconds:0.0} s including the rerun{(fault.Times > 1 ? " and minimising" : "")}"));
        }
        return 0;
    }

    /// <summary>The Release CLI next to this benchmark's build tree (harness/P2psip.Cli/bin/Release/net10.0/p2psip.dll).</summary>
    private static string? CliDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "harness", "P2psip.Cli", "bin", "Release", "net10.0", "p2psip.dll");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
