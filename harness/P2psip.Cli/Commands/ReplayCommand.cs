using P2psip.Adversary;
using System.CommandLine;
using P2psip.Capture;
using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Peer;
using P2psip.Replay;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip replay --pcap FILE --target embedded|HOST:PORT [--lab DIR] [--port N] [--rewrite LIST]
/// [--speed X | --as-fast-as-possible] [--out DIR] [--keylog FILE]</c>: sends the requests of a capture to a target,
/// rebuilt for it, and compares each answer with the captured one. Exit 0 when every answer is the
/// same, 1 when any differs or is missing, 2 for bad input (one line).
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var pcap = new Option<string>("--pcap") { Description = "The capture (pcap or pcapng) whose requests are replayed", Required = true };
        var target = new Option<string>("--target") { Description = "embedded (a fresh reference peer) or HOST:PORT of a running peer", Required = true };
        var lab = new Option<string?>("--lab") { Description = "Lab directory (certify init): its CA issues the replay's identities; needed for HOST:PORT over TLS or DTLS" };
        var port = new Option<int?>("--port") { Description = "The capture's RELOAD port (default: every TCP and UDP flow)" };
        var rewrite = new Option<string>("--rewrite")
        {
            Description = "What to rebuild: transaction-id,overlay,destination,signature (or all, none)",
            DefaultValueFactory = _ => "all",
        };
        var speed = new Option<double?>("--speed") { Description = "Scale the captured timing (2: twice as fast)" };
        var fast = new Option<bool>("--as-fast-as-possible") { Description = "Ignore captured timing: each request as soon as the previous is answered" };
        var transport = new Option<string>("--transport") { Description = "tls, dtls or insecure-tcp", DefaultValueFactory = _ => "tls" };
        var disable = new Option<string[]>("--disable") { Description = "With --target embedded: defences of the reference switched off", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the new transaction ids and identities", DefaultValueFactory = _ => 1 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each answer", DefaultValueFactory = _ => 5 };
        var keylog = KeyLogOption.Create();
        var output = new Option<string?>("--out") { Description = "Directory for replay.pcap (the replay's own messages)" };
        var command = new Command("replay", "Replay the requests of a capture onto a peer and compare the answers with the captured ones");
        foreach (var o in new Option[] { pcap, target, lab, port, rewrite, speed, fast, transport, disable, seed, timeout, output, keylog }) command.Options.Add(o);
        command.SetAction((parse, cancel) => RunAsync(new ReplayArguments(
            parse.GetValue(pcap)!, parse.GetValue(target)!, parse.GetValue(lab), parse.GetValue(port), parse.GetValue(rewrite)!,
            parse.GetValue(speed), parse.GetValue(fast), parse.GetValue(transport)!, parse.GetValue(disable) ?? [], parse.GetValue(seed),
            parse.GetValue(timeout), parse.GetValue(output), parse.GetValue(keylog)), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel));
        return command;
    }

    internal sealed record ReplayArguments(string Pcap, string Target, string? Lab, int? Port, string Rewrite, double? Speed, bool AsFastAsPossible,
        string Transport, string[] Disable, int Seed, double TimeoutSeconds, string? Out, string? KeyLog = null);

    internal static async Task<int> RunAsync(ReplayArguments args, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        // Every input is checked before anything starts.
        if (args.Port is < 1 or > 65535) throw new CliError($"--port must be 1..65535, got {args.Port}");
        if (args.Speed is { } s && !(s > 0)) throw new CliError($"--speed must be more than 0, got {s}");
        if (args.Speed is not null && args.AsFastAsPossible) throw new CliError("give --speed or --as-fast-as-possible, not both");
        if (!(args.TimeoutSeconds > 0)) throw new CliError($"--timeout must be more than 0, got {args.TimeoutSeconds}");
        ReplayRewrites rewrites;
        try { rewrites = ReplayRewriteNames.Parse(args.Rewrite); }
        catch (FormatException e) { throw new CliError($"--rewrite: {e.Message}"); }
        var target = new TargetOptions(args.Target, args.Lab, args.Transport, args.Disable, args.Seed);
        // The options are checked here, before the capture is read; the target starts after it.
        var (lab, prepared) = target.Prepare();
        string? outDir = args.Out is null ? null : Path.GetFullPath(args.Out);
        if (outDir is not null && File.Exists(outDir)) throw new CliError($"--out {args.Out}: is a file, not a directory");

        if (args.KeyLog is { } keylogPath) KeyLogOption.Enable(keylogPath);
        ReplayCapture capture;
        try { capture = ReplayCapture.Read(args.Pcap, (ushort?)args.Port); }
        catch (CaptureFileException e) { throw new CliError(e.Message); }
        await using ISystemUnderTest sut = prepared;
        await TargetOptions.StartAsync(sut, cancel);

        PcapStreamWriter? recording = null;
        if (outDir is not null)
        {
            try
            {
                Directory.CreateDirectory(outDir);
                recording = PcapStreamWriter.Create(Path.Combine(outDir, "replay.pcap"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CaptureFileException) { throw new CliError($"--out {args.Out}: {e.Message}"); }
        }
        error.WriteLine($"p2psip replay: {capture.Exchanges.Count} requests from {args.Pcap} onto {sut.Description}; rewrite {ReplayRewriteNames.Format(rewrites)}; " +
                        (args.AsFastAsPossible ? "as fast as possible" : $"speed {args.Speed ?? 1}") + $"; seed {args.Seed}");
        var options = new ReplayOptions
        {
            Rewrites = rewrites,
            Speed = args.Speed ?? 1,
            AsFastAsPossible = args.AsFastAsPossible,
            AnswerTimeout = TimeSpan.FromSeconds(args.TimeoutSeconds),
            Seed = args.Seed,
        };
        ReplayReport report;
        try
        {
            report = await new ReplayRunner(lab, sut, options).RunAsync(capture, recording, outcome => output.WriteLine(outcome), cancel);
        }
        catch (ProbeConnectException e)
        {
            throw new CliError($"--target {args.Target}: {e.Message}");
        }
        finally
        {
            recording?.Dispose();
        }
        output.WriteLine(report.Summary);
        if (outDir is not null) output.WriteLine($"capture of the replay: {Path.Combine(outDir, "replay.pcap")}");
        return report.AllSame ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
