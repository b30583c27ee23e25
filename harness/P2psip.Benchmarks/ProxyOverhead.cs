using System.Diagnostics;
using System.Net;
using P2psip.Adversary;
using P2psip.Adversary.Proxy;
using P2psip.Corpus;
using P2psip.Links;
using P2psip.Security;

namespace P2psip.Benchmarks;

/// <summary>
/// The adversary proxy's overhead against a direct TLS link, in one run: round-trip latency of one
/// Store at a time (an echoing far end; p50 and p99, and what the proxy adds to each), and
/// throughput of a pipelined batch (at most 64 in flight; messages/s, ratio to direct), with an empty scenario and with
/// ten rules whose matchers every message goes through.
/// </summary>
public static class ProxyOverhead
{
    private const string TenRules = """
        name: ten-rules
        rules:
          - {match: {code: fetch_req, direction: inbound}, actions: [drop]}
          - {match: {code: find_req}, actions: [{delay: {ms: 10}}]}
          - {match: {kind: 99}, actions: [drop]}
          - {match: {fields: [{path: forwarding_header.ttl, op: lt, value: 2}]}, actions: [drop]}
          - {match: {code: join_req}, actions: [{duplicate: {count: 2}}]}
          - {match: {code: leave_req}, actions: [{replay: {after_messages: 3}}]}
          - {match: {code: update_req}, actions: [{mutate: {path: forwarding_header.ttl, op: set, value: 1}}]}
          - {match: {not: {class: request}, code: ping_ans}, actions: [drop]}
          - {match: {fields: [{path: "message_contents.message_body.store_req.kind_data[*].kind", op: eq, value: 12345}]}, actions: [drop]}
          - {match: {code: store_req}, probability: 0, actions: [drop]}
        """;

    /// <summary>The issue's target: at most this much added to the p50 round trip, per message.</summary>
    private const double TargetAddedMicroseconds = 100;
    /// <summary>The issue's target: at least this share of the direct link's throughput.</summary>
    private const double TargetThroughputRatio = 0.5;

    public static int Run(string[] args)
    {
        int count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 2000;
        int rounds = args.Length > 1 && int.TryParse(args[1], out var r) ? r : 9;
        return RunAsync(count, rounds).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int count, int rounds)
    {
        Console.WriteLine($"load average at start: {LoadAverage()}");
        var ca = EnrollmentAuthority.Create("bench.overlay");
        var validator = CertificateValidator.ForRoot(ca.Root, ca.Overlay);
        Identity Mint(string user)
        {
            var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
            return new Identity(keys, ca.Issue(keys.Public, user, [System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)], DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddDays(1)));
        }
        var client = new LinkSecurity(Mint("a@bench.overlay"), validator);
        var server = new LinkSecurity(Mint("b@bench.overlay"), validator);
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), server);
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                StreamLink link;
                try { link = await listener.AcceptAsync(stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    // The far end echoes every message back.
                    while (await link.ReceiveAsync(stop.Token) is { } m) await link.SendAsync(m, stop.Token);
                });
            }
        });
        var message = SeedCorpus.All().First(s => s.Name == "store_req").Bytes;

        // A first round only to get the engine's code JIT-compiled at its final tier (on a loaded
        // machine the background compiler lags, and the first configuration measured would pay for it).
        for (int warm = 0; warm < 3; warm++) DecideMicroseconds(TenRules, message);
        foreach (var (label, yaml) in new[] { ("empty scenario", "name: empty\nrules: []"), ("ten rules", TenRules) })
            Console.WriteLine($"engine, {label}: {DecideMicroseconds(yaml, message):F1} µs per decision (best of 5 x 2000)");
        var decoded = P2psip.Messages.ReloadCodec.Decode(message).Value!;
        Console.WriteLine($"store_req: decode {Microseconds(() => P2psip.Messages.ReloadCodec.Decode(message)):F1} µs, encode {Microseconds(() => P2psip.Messages.ReloadCodec.Encode(decoded)):F1} µs, " +
            $"field map: whole {Microseconds(() => P2psip.Messages.ReloadCodec.FieldMap(decoded)):F1} µs, " +
            $"the nodes on rule 9's path {Microseconds(() => new MessageView(new AdversaryMessage(message, LinkDirection.Outbound, 0) { Decoded = decoded }).FieldMapFor("message_contents.message_body.store_req.kind_data[*].kind")):F1} µs");
        // Each of the ten alone, to see which matcher costs what.
        var rules = TenRules.Split('\n').Where(l => l.TrimStart().StartsWith("- {", StringComparison.Ordinal)).ToList();
        Console.WriteLine("engine, each rule alone (µs): " + string.Join(" ", rules.Select((r, i) =>
            $"{i + 1}:{DecideMicroseconds($"name: one\nrules:\n{r}", message):F1}")));

        // Every configuration is set up once and warmed; then the rounds alternate them (each round
        // starts with the next one), so load that comes and goes falls on all of them alike, and each
        // proxy figure is compared with the direct link's of the same round.
        var configurations = new List<(string Label, StreamLink Link)>
        {
            ("direct TLS", await Connect(listener.LocalEndpoint, client, message)),
        };
        var proxies = new List<AdversaryProxy>();
        foreach (var (label, yaml) in new[] { ("proxy, empty scenario", "name: empty\nrules: []"), ("proxy, ten rules", TenRules) })
        {
            var engine = new AdversaryEngine(ScenarioFile.Parse(yaml), new AdversaryEngineOptions { Seed = 1, Log = DecisionLog.Discarding() });
            var proxy = await AdversaryProxy.StartAsync(new ProxyOptions(new IPEndPoint(IPAddress.Loopback, 0), listener.LocalEndpoint, engine)
            {
                Lab = ca, UpstreamNodeId = server.Identity!.NodeId,
            });
            proxies.Add(proxy);
            configurations.Add((label, await Connect(proxy.LocalEndpoint, client, message)));
        }
        var figures = configurations.Select(_ => new List<Figures>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < configurations.Count; k++)
            {
                int c = (round + k) % configurations.Count;
                figures[c].Add(await Measure(configurations[c].Link, message, count));
            }
            Console.WriteLine($"round {round + 1}/{rounds}: " + string.Join("; ", configurations.Select((x, c) =>
                $"{x.Label} p50 {figures[c][round].P50:F0} µs, {figures[c][round].PerSecond:N0}/s")));
        }
        Console.WriteLine($"medians of {rounds} rounds of {count} round trips and {count} pipelined messages (at most {Window} in flight):");
        var direct = figures[0];
        Console.WriteLine($"direct TLS: round trip p50 {Median(direct.Select(f => f.P50)):F0} µs, p99 {Median(direct.Select(f => f.P99)):F0} µs; {Median(direct.Select(f => f.PerSecond)):N0} messages/s echoed");
        bool met = true;
        for (int c = 1; c < configurations.Count; c++)
        {
            var added50 = figures[c].Zip(direct, (p, d) => p.P50 - d.P50).ToList();
            var added99 = figures[c].Zip(direct, (p, d) => p.P99 - d.P99).ToList();
            var ratio = figures[c].Zip(direct, (p, d) => p.PerSecond / d.PerSecond).ToList();
            bool latencyMet = Median(added50) <= TargetAddedMicroseconds, throughputMet = Median(ratio) >= TargetThroughputRatio;
            met &= latencyMet && throughputMet;
            Console.WriteLine($"{configurations[c].Label}: round trip p50 {Median(figures[c].Select(f => f.P50)):F0} µs, p99 {Median(figures[c].Select(f => f.P99)):F0} µs; " +
                $"{Median(figures[c].Select(f => f.PerSecond)):N0} messages/s echoed; added p50 {Median(added50):F0} µs ({added50.Min():F0}..{added50.Max():F0}), " +
                $"p99 {Median(added99):F0} µs ({added99.Min():F0}..{added99.Max():F0}), throughput {Median(ratio):P0} of direct ({ratio.Min():P0}..{ratio.Max():P0})");
            Console.WriteLine($"  target p50 added <= {TargetAddedMicroseconds:F0} µs: {(latencyMet ? "met" : "NOT met")}; throughput >= {TargetThroughputRatio:P0} of direct: {(throughputMet ? "met" : "NOT met")}");
        }
        Console.WriteLine($"load average at end: {LoadAverage()}");
        Console.WriteLine(met ? "targets met (medians)" : "targets NOT met (medians)");
        foreach (var (_, link) in configurations) await link.DisposeAsync();
        foreach (var proxy in proxies) await proxy.DisposeAsync();
        await stop.CancelAsync();
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    private static async Task<StreamLink> Connect(IPEndPoint to, LinkSecurity client, byte[] message)
    {
        var link = await TlsLinks.ConnectAsync(to, client);
        for (int i = 0; i < 500; i++) { await link.SendAsync(message); await link.ReceiveAsync(); } // warm-up
        return link;
    }

    private static double Microseconds(Action work)
    {
        double best = double.MaxValue;
        for (int pass = 0; pass < 5; pass++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 2000; i++) work();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMicroseconds / 2000);
        }
        return best;
    }

    /// <summary>The engine alone: one store_req decided again and again (the decoding and the log included).</summary>
    private static double DecideMicroseconds(string yaml, byte[] message)
    {
        var engine = new AdversaryEngine(ScenarioFile.Parse(yaml), new AdversaryEngineOptions { Seed = 1, Log = new DecisionLog() });
        double best = double.MaxValue;
        long position = 0;
        for (int pass = 0; pass < 5; pass++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 2000; i++) engine.Decide(new AdversaryMessage(message, LinkDirection.Outbound, position++));
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMicroseconds / 2000);
        }
        return best;
    }

    private const int Window = 64;

    private sealed record Figures(double P50, double P99, double PerSecond);

    private static async Task<Figures> Measure(StreamLink link, byte[] message, int count)
    {
        var rtt = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await link.SendAsync(message);
            await link.ReceiveAsync();
            rtt[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(rtt);
        // Pipelined, at most Window in flight: more would overflow a link's bounded inbox, whose drops would hang the count.
        using var window = new SemaphoreSlim(Window, Window);
        var watch = Stopwatch.StartNew();
        var receiving = Task.Run(async () =>
        {
            for (int i = 0; i < count; i++)
            {
                await link.ReceiveAsync();
                window.Release();
            }
        });
        for (int i = 0; i < count; i++)
        {
            await window.WaitAsync();
            await link.SendAsync(message);
        }
        await receiving;
        return new Figures(rtt[count / 2], rtt[(int)(count * 0.99)], count / watch.Elapsed.TotalSeconds);
    }
}
