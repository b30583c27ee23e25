using System.Diagnostics;
using P2psip.Capture;
using P2psip.Corpus;
using P2psip.Messages;

namespace P2psip.Benchmarks;

/// <summary>
/// Decodes the same messages with this codec and with tshark in one run, and prints both rates and
/// their ratio. The messages (every seed, repeated) go into one pcap as framed DATA over TCP:6084;
/// tshark's figure is its whole run over that file minus its run over an empty capture (start-up).
/// </summary>
public static class TsharkComparison
{
    public static int Run(string[] args)
    {
        int copies = args.Length > 0 && int.TryParse(args[0], out var c) ? c : 200;
        var seeds = SeedCorpus.All();
        var messages = Enumerable.Range(0, copies).SelectMany(_ => seeds.Select(s => s.Bytes)).ToList();
        var dir = Directory.CreateTempSubdirectory("p2psip-bench-");
        try
        {
            var pcap = Path.Combine(dir.FullName, "messages.pcap");
            var empty = Path.Combine(dir.FullName, "empty.pcap");
            using (var writer = new PcapCaptureWriter(pcap))
            {
                var flow = writer.OpenTcpFlow();
                foreach (var m in messages) flow.SendMessage(m);
            }
            using (var writer = new PcapCaptureWriter(empty)) writer.OpenTcpFlow();

            // This codec: full strict decode of every message, best of 5 passes.
            double ours = double.MaxValue;
            for (int pass = 0; pass < 5; pass++)
            {
                var sw = Stopwatch.StartNew();
                foreach (var m in messages)
                    if (!ReloadCodec.Decode(m).IsSuccess) throw new InvalidOperationException("a seed did not decode");
                ours = Math.Min(ours, sw.Elapsed.TotalSeconds);
            }

            double tsharkFull = TimeTshark(pcap), tsharkEmpty = TimeTshark(empty);
            double tshark = Math.Max(1e-9, tsharkFull - tsharkEmpty);
            Console.WriteLine($"messages: {messages.Count} ({seeds.Count} kinds x {copies})");
            Console.WriteLine($"p2psip codec: {ours * 1e3:F2} ms, {messages.Count / ours:N0} messages/s");
            Console.WriteLine($"tshark -V:    {tshark * 1e3:F0} ms after {tsharkEmpty * 1e3:F0} ms start-up, {messages.Count / tshark:N0} messages/s");
            Console.WriteLine($"ratio: the codec decodes {tshark / ours:N0}x faster than tshark's dissection");
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static double TimeTshark(string pcap)
    {
        double best = double.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            var psi = new ProcessStartInfo("tshark", ["-r", pcap, "-V"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            var sw = Stopwatch.StartNew();
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("tshark did not start");
            process.StandardOutput.BaseStream.CopyTo(Stream.Null);
            process.WaitForExit();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }
}
