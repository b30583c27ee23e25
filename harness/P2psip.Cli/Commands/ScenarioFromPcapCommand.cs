using System.CommandLine;
using P2psip.Adversary;
using P2psip.Capture;
using P2psip.Cli.Files;
using P2psip.Replay;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip scenario from-pcap FILE --out SCENARIO.yaml [--port N]</c>: the requests of a capture
/// become the steps of a scenario, their captured answers the expectations, so traffic seen in the
/// field becomes a case <c>p2psip scenario run</c> reruns. Bad input is one line and nothing is written.
/// </summary>
internal static class ScenarioFromPcapCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The capture (pcap or pcapng)" };
        var output = new Option<string>("--out") { Description = "The scenario file to write (YAML)", Required = true };
        var port = new Option<int?>("--port") { Description = "The capture's RELOAD port (default: every TCP and UDP flow)" };
        var command = new Command("from-pcap", "Turn the requests of a capture and their answers into a scenario's steps");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.Options.Add(port);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(output)!, parse.GetValue(port), parse.InvocationConfiguration.Output));
        return command;
    }

    internal static int Run(string pcap, string outPath, int? port, TextWriter output)
    {
        if (port is < 1 or > 65535) throw new CliError($"--port must be 1..65535, got {port}");
        if (Directory.Exists(outPath)) throw new CliError($"--out {outPath}: is a directory");
        ReplayCapture capture;
        try { capture = ReplayCapture.Read(pcap, (ushort?)port); }
        catch (CaptureFileException e) { throw new CliError(e.Message); }
        var scenario = ScenarioFromCapture.Build(capture, Path.GetFileNameWithoutExtension(pcap),
            $"from {Path.GetFileName(pcap)}: {capture.Exchanges.Count} requests" + (port is { } p ? $" on port {p}" : ""));
        var text = ScenarioFile.Save(scenario);
        try { AtomicFile.Write(outPath, temp => File.WriteAllText(temp, text), [pcap]); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"--out {outPath}: {e.Message}"); }
        output.WriteLine($"{outPath}: {scenario.Steps.Count} steps from {capture.Exchanges.Count} requests of {pcap} " +
                         $"({scenario.Steps.Count(s => s.Expect?.Answer == StepAnswer.None)} without a captured answer); " +
                         $"p2psip scenario run {outPath} --target embedded");
        return ExitCodes.Ok;
    }
}
