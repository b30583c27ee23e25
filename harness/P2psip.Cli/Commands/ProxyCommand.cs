using System.CommandLine;
using P2psip.Adversary;
using P2psip.Adversary.Proxy;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip proxy --listen HOST:PORT --upstream HOST:PORT --lab DIR [--scenario FILE] [--seed S] [--log FILE]
/// [--present insider|other-node-id|foreign-ca|self-signed|expired] [--transport tls|dtls|insecure-tcp|insecure-tcp-unframed]
/// [--also HOST:PORT[=NODE-ID]...]</c>: a man in the middle on one overlay link, applying a scenario to what crosses, until
/// stopped; <c>--also</c> names the other nodes redirects and replays can reach.
/// </summary>
internal static class ProxyCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address and port the downstream peer connects to", Required = true };
        var upstream = new Option<string>("--upstream") { Description = "Address and port of the upstream peer", Required = true };
        var lab = new Option<string?>("--lab") { Description = "Overlay directory (overlay init) whose CA mints the proxy's identities; needed for TLS" };
        var scenario = new Option<string?>("--scenario") { Description = "Scenario file (YAML); without it the proxy relays unchanged" };
        var seed = new Option<ulong?>("--seed") { Description = "Run seed (overrides the scenario's)" };
        var log = new Option<string?>("--log") { Description = "Decision log file (JSON lines)" };
        var present = new Option<string>("--present") { Description = "Certificates presented: insider, other-node-id, foreign-ca, self-signed, expired", DefaultValueFactory = _ => "insider" };
        var transport = new Option<string>("--transport") { Description = "tls, dtls, insecure-tcp (framed plaintext) or insecure-tcp-unframed (as the upstream peer's --transport)", DefaultValueFactory = _ => "tls" };
        var also = new Option<string[]>("--also") { Description = "Another node redirects and replays can go to: HOST:PORT, or HOST:PORT=NODE-ID (hex; needed on plaintext)", AllowMultipleArgumentsPerToken = true };
        var capture = new Option<string?>("--capture") { Description = "Record what crosses the proxy's links (decrypted) into this pcap, streamed" };
        var upstreamNode = new Option<string?>("--upstream-node-id") { Description = "The upstream's Node-ID in hex (otherwise learned by a first connection)" };
        var command = new Command("proxy", "A man-in-the-middle adversary proxy on one overlay link, until stopped");
        foreach (var o in new Option[] { listen, upstream, lab, scenario, seed, log, present, transport, upstreamNode, capture, also }) command.Options.Add(o);
        command.SetAction(async (parse, cancel) =>
        {
            // Check every input before starting anything.
            var listenAt = EnrollCommand.ParseEndpoint(parse.GetValue(listen)!);
            if (!System.Net.IPEndPoint.TryParse(parse.GetValue(upstream)!, out var upstreamAt) || upstreamAt.Port == 0)
                throw new CliError($"--upstream \"{parse.GetValue(upstream)}\" must be ADDRESS:PORT");
            var mode = parse.GetValue(transport) switch
            {
                "tls" => ProxyTransport.Tls,
                "dtls" => ProxyTransport.Dtls,
                "insecure-tcp" => ProxyTransport.PlaintextFramed,
                "insecure-tcp-unframed" => ProxyTransport.PlaintextUnframed,
                var other => throw new CliError($"--transport \"{other}\": tls, dtls, insecure-tcp or insecure-tcp-unframed"),
            };
            var others = (parse.GetValue(also) ?? []).Select(ParseNode).ToList();
            if (mode is ProxyTransport.PlaintextFramed or ProxyTransport.PlaintextUnframed && others.FirstOrDefault(n => n.NodeId is null) is { } unnamed)
                throw new CliError($"--also {unnamed.Endpoint}: a plaintext link has no certificate to learn the Node-ID from; write HOST:PORT=NODE-ID");
            var presentation = parse.GetValue(present) switch
            {
                "insider" => ProxyPresentation.Insider,
                "other-node-id" => ProxyPresentation.OtherNodeId,
                "foreign-ca" => ProxyPresentation.ForeignCa,
                "self-signed" => ProxyPresentation.SelfSigned,
                "expired" => ProxyPresentation.Expired,
                var other => throw new CliError($"--present \"{other}\": insider, other-node-id, foreign-ca, self-signed or expired"),
            };
            Opaque? upstreamId = null;
            if (parse.GetValue(upstreamNode) is { } hex)
            {
                try { upstreamId = Opaque.FromHex(hex); }
                catch (FormatException) { throw new CliError($"--upstream-node-id \"{hex}\": not hex"); }
            }
            EnrollmentAuthority? authority = parse.GetValue(lab) is { } dir ? OverlayCommand.LoadAuthority(dir) : null;
            if (authority is null && mode is ProxyTransport.Tls or ProxyTransport.Dtls) throw new CliError("--lab DIR is needed for TLS and DTLS: its CA mints the identities the proxy presents");
            Scenario plan;
            string? scenarioPath = parse.GetValue(scenario);
            try { plan = scenarioPath is null ? new Scenario("relay") : ScenarioFile.Load(scenarioPath); }
            catch (ScenarioFileException e) { throw new CliError(e.Message); }
            var runSeed = parse.GetValue(seed) ?? plan.Seed ?? BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
            IReadOnlyDictionary<string, Identity> identities;
            try { identities = ScenarioIdentities.Resolve(plan, authority, runSeed, scenarioPath is null ? null : Path.GetDirectoryName(Path.GetFullPath(scenarioPath))); }
            catch (Exception e) when (e is ArgumentException or IOException) { throw new CliError($"{scenarioPath}: identities: {e.Message}"); }

            StreamWriter? logFile = null;
            if (parse.GetValue(log) is { } logPath)
            {
                try { logFile = new StreamWriter(logPath) { AutoFlush = false }; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"{logPath}: cannot write: {e.Message}"); }
            }
            await using var _ = logFile;
            using var recording = parse.GetValue(capture) is { } capturePath ? CaptureOption.Open(capturePath) : null;
            var engine = new AdversaryEngine(plan, new AdversaryEngineOptions { Seed = runSeed, Identities = identities, Log = DecisionLog.Streaming(logFile) });
            AdversaryProxy proxy;
            try
            {
                proxy = await AdversaryProxy.StartAsync(new ProxyOptions(listenAt, upstreamAt, engine)
                {
                    Lab = authority, Transport = mode, Presentation = presentation, UpstreamNodeId = upstreamId, Capture = recording, Also = others,
                    Log = line => Console.Error.WriteLine($"p2psip proxy: {line}"),
                }, cancel);
            }
            catch (Exception e) when (e is Links.LinkRefusedException or IOException or System.Net.Sockets.SocketException)
            {
                throw new CliError($"proxy: {e.Message}");
            }
            await using (proxy)
            {
                foreach (var node in proxy.Others) Console.WriteLine($"also reaches {node.Endpoint} (Node-ID {node.NodeId?.ToHex()})");
                Console.WriteLine($"proxy listening on {proxy.LocalEndpoint}, relaying to {upstreamAt}{(proxy.UpstreamNodeId.IsEmpty ? "" : $" (Node-ID {proxy.UpstreamNodeId.ToHex()})")}, scenario {plan.Name}, seed {engine.Seed}");
                try { await Task.Delay(Timeout.Infinite, cancel); }
                catch (OperationCanceledException) { }
            }
            Console.WriteLine($"stopped after {proxy.Connections} connection(s), {engine.Log.Count} message(s)");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>HOST:PORT</c> or <c>HOST:PORT=NODE-ID</c>.</summary>
    private static ProxyNode ParseNode(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        var address = eq < 0 ? text : text[..eq];
        if (!System.Net.IPEndPoint.TryParse(address, out var endpoint) || endpoint.Port == 0)
            throw new CliError($"--also \"{text}\" must be ADDRESS:PORT or ADDRESS:PORT=NODE-ID");
        if (eq < 0) return new ProxyNode(endpoint);
        try { return new ProxyNode(endpoint, Opaque.FromHex(text[(eq + 1)..])); }
        catch (FormatException) { throw new CliError($"--also \"{text}\": the Node-ID is not hex"); }
    }
}
