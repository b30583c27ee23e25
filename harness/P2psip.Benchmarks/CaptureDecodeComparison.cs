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
/// read to the end and discarded. Prints the median of each and the ratios, of elapsed time and (when
/// /usr/bin/time is there to measure it) of the processor time each process used, user plus system:
/// on a machine shared with other work, elapsed time depends on the neighbours and processor time less.
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
            var cpu = runs.Select(_ => new List<double>()).ToArray();
            var lines = new long[runs.Length];
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < runs.Length; i++)
                {
                    var (seconds, processor, outputLines, exit) = Time(runs[i].Program, runs[i].Arguments);
                    times[i].Add(seconds);
                    if (processor is { } p) cpu[i].Add(p);
                    lines[i] = outputLines;
                    Console.WriteLine($"round {round + 1}: {runs[i].Name,-24} {seconds,8:F3} s elapsed  {(processor is { } q ? $"{q,8:F3} s cpu" : "")}  {outputLines,9} lines  exit {exit}");
                }
            }
            double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
            Console.WriteLine();
            for (int i = 0; i < runs.Length; i++)
                Console.WriteLine($"median {runs[i].Name,-24} {Median(times[i]),8:F3} s elapsed  {(cpu[i].Count > 0 ? $"{Median(cpu[i]),8:F3} s cpu" : "")}  ({lines[i]} lines)");
            Console.WriteLine($"ratio --json:    tshark -T json / p2psip = {Median(times[1]) / Median(times[0]):F1}x elapsed" +
                (cpu[0].Count > 0 ? $", {Median(cpu[1]) / Median(cpu[0]):F1}x cpu" : ""));
            Console.WriteLine($"ratio --summary: tshark / p2psip        = {Median(times[3]) / Median(times[2]):F1}x elapsed" +
                (cpu[0].Count > 0 ? $", {Median(cpu[3]) / Median(cpu[2]):F1}x cpu" : ""));
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

    private const string TimeTool = "/usr/bin/time";

    private static (double Seconds, double? Cpu, long Lines, int Exit) Time(string program, string[] arguments)
    {
        bool measureCpu = File.Exists(TimeTool);
        var psi = measureCpu
            ? new ProcessStartInfo(TimeTool, ["-f", "cpu %U %S", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
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
        double? cpu = null;
        var last = errors.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Split(' ');
        if (measureCpu && last is ["cpu", var user, var system])
            cpu = double.Parse(user, System.Globalization.CultureInfo.InvariantCulture) + double.Parse(system, System.Globalization.CultureInfo.InvariantCulture);
        return (seconds, cpu, lines, process.ExitCode);
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
