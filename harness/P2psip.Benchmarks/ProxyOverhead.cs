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

    public static int Run(string[] args)
    {
        int count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 2000;
        return RunAsync(count).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int count)
    {
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
        Console.WriteLine($"field map of the store_req: whole {Microseconds(() => P2psip.Messages.ReloadCodec.FieldMap(decoded)):F1} µs, " +
            $"the MessageContents part {Microseconds(() => new MessageView(new AdversaryMessage(message, LinkDirection.Outbound, 0)).FieldMapFor("message_contents.message_body")):F1} µs");
        // Each of the ten alone, to see which matcher costs what.
        var rules = TenRules.Split('\n').Where(l => l.TrimStart().StartsWith("- {", StringComparison.Ordinal)).ToList();
        Console.WriteLine("engine, each rule alone (µs): " + string.Join(" ", rules.Select((r, i) =>
            $"{i + 1}:{DecideMicroseconds($"name: one\nrules:\n{r}", message):F1}")));
        var direct = await Measure("direct TLS", listener.LocalEndpoint, client, message, count, null);
        foreach (var (label, yaml) in new[] { ("proxy, empty scenario", "name: empty\nrules: []"), ("proxy, ten rules", TenRules) })
        {
            var engine = new AdversaryEngine(ScenarioFile.Parse(yaml), new AdversaryEngineOptions { Seed = 1 });
            await using var proxy = await AdversaryProxy.StartAsync(new ProxyOptions(new IPEndPoint(IPAddress.Loopback, 0), listener.LocalEndpoint, engine)
            {
                Lab = ca, UpstreamNodeId = server.Identity!.NodeId,
            });
            await Measure(label, proxy.LocalEndpoint, client, message, count, direct);
        }
        await stop.CancelAsync();
        return 0;
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

    private static async Task<Figures> Measure(string label, IPEndPoint to, LinkSecurity client, byte[] message, int count, Figures? direct)
    {
        await using var link = await TlsLinks.ConnectAsync(to, client);
        for (int i = 0; i < 200; i++) { await link.SendAsync(message); await link.ReceiveAsync(); } // warm-up
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
        var figures = new Figures(rtt[count / 2], rtt[(int)(count * 0.99)], count / watch.Elapsed.TotalSeconds);
        var added = direct is null ? "" : $", added p50 {figures.P50 - direct.P50:F0} µs, p99 {figures.P99 - direct.P99:F0} µs, throughput {figures.PerSecond / direct.PerSecond:P0} of direct";
        Console.WriteLine($"{label}: round trip p50 {figures.P50:F0} µs, p99 {figures.P99:F0} µs; {figures.PerSecond:N0} messages/s echoed{added}");
        return figures;
    }
}
