using System.CommandLine;
using System.Diagnostics;
using P2psip.Cli.Demo;
using P2psip.Cli.Files;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip demo --out DIR</c>: the most complete demonstration the product has until <c>certify</c>
/// exists. Runs each step, prints progress, writes <c>report.txt</c> and <c>report.json</c>, and exits 1
/// if any step failed.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the corpus, the pcap and the report", DefaultValueFactory = _ => "out/demo" };
        var seedOption = new Option<int>("--seed") { Description = "Seed of every random choice in the simulated steps (printed in the report)", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", "Demonstrate the harness end to end and write a report");
        command.Options.Add(output);
        command.Options.Add(seedOption);
        command.SetAction(parseResult => Run(parseResult.GetValue(output)!, parseResult.GetValue(seedOption), parseResult.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string directory, int seed, TextWriter console)
    {
        // The output set (corpus/, seeds.pcap, report.txt, report.json) is complete or absent: every
        // target is checked first, everything is staged, and it is put in place only at the end.
        using var outputs = new OutputSet();
        var pcap = Path.Combine(directory, "seeds.pcap");
        outputs.CreateDirectory(directory);
        foreach (var target in new[] { pcap, Path.Combine(directory, DemoReport.TextFile), Path.Combine(directory, DemoReport.JsonFile) })
            outputs.Check(target);
        console.WriteLine(BuildInfo.VersionLine);
        var clock = Stopwatch.StartNew();
        var steps = new List<DemoStep>();
        void Run(string title, Func<DemoStep> step)
        {
            console.WriteLine($"... {title}");
            var result = step();
            steps.Add(result);
            console.WriteLine($"[{(result.Passed ? "PASS" : "FAIL")}] {result.Name}");
            foreach (var line in result.Evidence) console.WriteLine("       " + line);
        }

        int frames = 0;
        string staged = pcap;
        Run("seed corpus round trip", () => CodecDemo.RoundTripCorpus(Path.Combine(directory, "corpus"), outputs));
        Run("wrong messages on purpose", CodecDemo.WrongMessagesOnPurpose);
        Run("pcap capture", () => CaptureDemo.WriteAndReadBack(pcap, outputs, out staged, out frames));
        Run("tshark cross-check", () => CaptureDemo.CrossCheckWithTshark(staged, frames));
        Run("enrollment, TLS link and signatures", SecurityDemo.Run);
        Run("simulated ring", () => RingDemo.Run(peers: 200, seed: seed));

        DemoReport.Stage(directory, steps, clock.Elapsed, outputs);
        outputs.Commit();
        console.WriteLine($"{steps.Count(s => s.Passed)} of {steps.Count} steps passed; report: {Path.Combine(directory, DemoReport.TextFile)}");
        return steps.All(s => s.Passed) ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
