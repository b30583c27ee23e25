using System.Diagnostics;
using System.Net;
using P2psip.Capture;
using P2psip.Corpus;
using P2psip.Messages;

namespace P2psip.Benchmarks;

/// <summary>
/// <c>capture-decode [N] [ROUNDS] [KEEP.pcap]</c>: writes one capture of N framed messages (the corpus seeds, in
/// turn) over 200 TCP connections to port 6084, then times whole processes on it, alternated round
/// by round: <c>p2psip decode --json --pcap</c> against <c>tshark -T json</c>, and <c>p2psip decode
/// --summary --pcap</c> against tshark's default one-line output. Each process's standard output is
/// read to the end and discarded. Prints the median of each and the ratios.
/// </summary>
public static class CaptureDecodeComparison
{
    private const int Flows = 200;

    public static int Run(string[] args)
    {
        int count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 108_000;
        int rounds = args.Length > 1 && int.TryParse(args[1], out var r) ? r : 3;
        var p2psip = FindCli();
        if (p2psip is null)
        {
            Console.Error.WriteLine("capture-decode: build the CLI first: dotnet build -c Release harness/P2psip.Cli");
            return 2;
        }
        var dir = Directory.CreateTempSubdirectory("p2psip-capture-bench-");
        try
        {
            var pcap = args.Length > 2 ? Path.GetFullPath(args[2]) : Path.Combine(dir.FullName, "capture.pcap");
            var written = Write(pcap, count);
            Console.WriteLine($"capture: {count} framed messages over {Flows} TCP flows, {written.Packets} packets, {new FileInfo(pcap).Length / 1e6:F1} MB ({pcap})");

            if (rounds < 1) return 0; // write only

            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var runs = new (string Name, string Program, string[] Arguments)[]
            {
                ("p2psip decode --json", dotnet, [p2psip, "decode", "--json", "--pcap", pcap]),
                ("tshark -T json", "tshark", ["-r", pcap, "-T", "json"]),
                ("p2psip decode --summary", dotnet, [p2psip, "decode", "--summary", "--pcap", pcap]),
                ("tshark (default)", "tshark", ["-r", pcap]),
            };
            var times = runs.Select(_ => new List<double>()).ToArray();
            var lines = new long[runs.Length];
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < runs.Length; i++)
                {
                    var (seconds, outputLines, exit) = Time(runs[i].Program, runs[i].Arguments);
                    times[i].Add(seconds);
                    lines[i] = outputLines;
                    Console.WriteLine($"round {round + 1}: {runs[i].Name,-24} {seconds,8:F3} s  {outputLines,9} lines  exit {exit}");
                }
            }
            double Median(int i) => times[i].Order().ElementAt(times[i].Count / 2);
            Console.WriteLine();
            for (int i = 0; i < runs.Length; i++)
                Console.WriteLine($"median {runs[i].Name,-24} {Median(i),8:F3} s  ({lines[i]} lines)");
            Console.WriteLine($"ratio --json:    tshark -T json / p2psip = {Median(1) / Median(0):F1}x");
            Console.WriteLine($"ratio --summary: tshark / p2psip        = {Median(3) / Median(2):F1}x");
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (long Packets, long Messages) Write(string path, int count)
    {
        var seeds = SeedCorpus.All().Select(s => (s.Bytes, Request: MessageCodes.IsRequest(ReloadCodec.Decode(s.Bytes).GetValueOrThrow().MessageCode))).ToList();
        var server = new IPEndPoint(IPAddress.Parse("192.0.2.2"), PcapCaptureWriter.ReloadPort);
        var links = Enumerable.Range(0, Flows)
            .Select(i => new CaptureLink(new IPEndPoint(IPAddress.Parse($"192.0.2.{10 + i % 200}"), 40000 + i), server, CaptureTransport.Tcp))
            .ToArray();
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var writer = PcapStreamWriter.Create(path);
        for (int i = 0; i < count; i++)
        {
            var (bytes, request) = seeds[i % seeds.Count];
            writer.Write(links[i % Flows], request ? FlowDirection.ToServer : FlowDirection.ToClient, time, bytes);
            time = time.AddTicks(100); // 10 µs apart
        }
        foreach (var link in links) writer.Close(link, time);
        return (writer.PacketsWritten, writer.MessagesWritten);
    }

    private static (double Seconds, long Lines, int Exit) Time(string program, string[] arguments)
    {
        var psi = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start");
        var errors = process.StandardError.ReadToEndAsync();
        long lines = 0;
        var buffer = new byte[1 << 16];
        var stdout = process.StandardOutput.BaseStream;
        int read;
        while ((read = stdout.Read(buffer, 0, buffer.Length)) > 0)
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        process.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        _ = errors.Result;
        return (seconds, lines, process.ExitCode);
    }

    /// <summary>The Release build of the CLI in the repository this benchmark runs from.</summary>
    private static string? FindCli()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "P2psipConformance.sln"))) continue;
            var dll = Path.Combine(dir.FullName, "harness", "P2psip.Cli", "bin", "Release", "net10.0", "p2psip.dll");
            return File.Exists(dll) ? dll : null;
        }
        return null;
    }
}
