using System.CommandLine;
using P2psip.Adversary;
using P2psip.Capture;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Replay;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip scenario run FILE --target embedded|HOST:PORT [--lab DIR] [--out DIR] [--capture FILE]
/// [--transport T] [--disable D] [--inject-fault NAME] [--seed N] [--timeout S]</c>: sends a scenario's
/// steps to a target (its rules on the steps' links) and checks each answer against the step's
/// expectation. Per step same / different / no answer, a summary, a capture; exit 0 when every
/// step is the same, 1 when any is not, 2 for bad input (one line), as <c>p2psip replay</c>.
/// </summary>
internal static class ScenarioRunCommand
{
    public const string CaptureName = "scenario-run.pcap";

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The scenario file (YAML) whose steps are run" };
        var target = new Option<string>("--target") { Description = "embedded (a fresh reference peer) or HOST:PORT of a running peer", Required = true };
        var lab = new Option<string?>("--lab") { Description = "Lab directory (certify init): its CA issues the steps' identities; needed for HOST:PORT over TLS or DTLS" };
        var transport = new Option<string>("--transport") { Description = "tls, dtls or insecure-tcp", DefaultValueFactory = _ => "tls" };
        var disable = new Option<string[]>("--disable") { Description = "With --target embedded: defences of the reference switched off", AllowMultipleArgumentsPerToken = true };
        var fault = new Option<string?>("--inject-fault") { Description = "TEST ONLY: with --target embedded, plant a defect in the reference (see p2psip peer --inject-fault list)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the lab, the new transaction ids and the identities", DefaultValueFactory = _ => 1 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each answer", DefaultValueFactory = _ => 5 };
        var output = new Option<string?>("--out") { Description = $"Directory for {CaptureName} (the run's own messages)" };
        var capture = new Option<string?>("--capture") { Description = "Write the run's messages (both ways, every link) to this pcap" };
        var command = new Command("run", "Send a scenario's steps to a peer and check the answers against the steps' expectations");
        command.Arguments.Add(file);
        foreach (var o in new Option[] { target, lab, transport, disable, fault, seed, timeout, output, capture }) command.Options.Add(o);
        command.SetAction((parse, cancel) => RunAsync(new RunArguments(parse.GetValue(file)!,
            new TargetOptions(parse.GetValue(target)!, parse.GetValue(lab), parse.GetValue(transport)!, parse.GetValue(disable) ?? [], parse.GetValue(seed), parse.GetValue(fault)),
            parse.GetValue(timeout), parse.GetValue(output), parse.GetValue(capture)), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel));
        return command;
    }

    internal sealed record RunArguments(string File, TargetOptions Target, double TimeoutSeconds, string? Out, string? Capture);

    internal static async Task<int> RunAsync(RunArguments args, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        // Every input is checked before anything starts.
        if (!(args.TimeoutSeconds > 0)) throw new CliError($"--timeout must be more than 0, got {args.TimeoutSeconds}");
        Scenario scenario;
        try { scenario = ScenarioFile.Load(args.File); }
        catch (ScenarioFileException e) { throw new CliError(e.Message); }
        if (scenario.Steps.Count == 0) throw new CliError($"{args.File}: no steps to run (the scenario has only rules)");
        string? outDir = args.Out is null ? null : Path.GetFullPath(args.Out);
        if (outDir is not null && File.Exists(outDir)) throw new CliError($"--out {args.Out}: is a file, not a directory");
        var capturePath = args.Capture is { } c ? Path.GetFullPath(c) : outDir is null ? null : Path.Combine(outDir, CaptureName);
        if (args.Capture is not null && Directory.Exists(capturePath)) throw new CliError($"--capture {args.Capture}: is a directory");
        var (lab, prepared) = args.Target.Prepare();

        await using ISystemUnderTest sut = prepared;
        await TargetOptions.StartAsync(sut, cancel);
        PcapStreamWriter? recording = null;
        if (capturePath is not null)
        {
            try
            {
                if (outDir is not null) Directory.CreateDirectory(outDir);
                recording = PcapStreamWriter.Create(capturePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CaptureFileException)
            {
                throw new CliError($"{(args.Capture is null ? "--out " + args.Out : "--capture " + args.Capture)}: {e.Message}");
            }
        }
        error.WriteLine($"p2psip scenario run: {scenario.Steps.Count} steps of {args.File} onto {sut.Description}" +
                        (scenario.Rules.Count > 0 ? $"; {scenario.Rules.Count} rules on the steps' links" : "") + $"; seed {args.Target.Seed}");
        var options = new StepRunOptions
        {
            AnswerTimeout = TimeSpan.FromSeconds(args.TimeoutSeconds),
            Seed = args.Target.Seed,
            BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(args.File)),
        };
        StepReport report;
        try
        {
            report = await new ScenarioStepRunner(lab, sut, options).RunAsync(scenario, recording, outcome => output.WriteLine(outcome), cancel);
        }
        catch (ArgumentException e)
        {
            // An identity that cannot be minted or read (a key file that is not PEM, no CA to issue it).
            throw new CliError($"{args.File}: identities: {e.Message.Split(" (Parameter")[0]}");
        }
        finally
        {
            recording?.Dispose();
        }
        output.WriteLine(report.Summary);
        if (capturePath is not null) output.WriteLine($"capture of the run: {capturePath}");
        return report.AllSame ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
