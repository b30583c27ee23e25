using System.CommandLine;
using P2psip.Capture;
using P2psip.Cli.Files;
using P2psip.Framing;
using P2psip.Messages;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip pcap write --out FILE [--acks] MSGFILE...</c>: writes message files into a capture as one
/// TCP connection to port 6084 (requests from the client, answers back from the server), which
/// Wireshark decodes with no settings. Refuses to write anything if any file is invalid.
/// </summary>
internal static class PcapCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Files each holding one RELOAD message, or one framed message (first byte 128 or 129)",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out") { Description = "The pcap file to write", Required = true };
        var acks = new Option<bool>("--acks") { Description = "After each DATA frame, the receiver sends the framing ACK (§6.6.2)" };
        var maxSize = InputFiles.MaxMessageSizeOption();

        var write = new Command("write", "Write message files to a pcap capture, framed over TCP to port 6084");
        write.Arguments.Add(files);
        write.Options.Add(output);
        write.Options.Add(acks);
        write.Options.Add(maxSize);
        write.SetAction(parseResult => Write(
            parseResult.GetValue(files) ?? [],
            parseResult.GetRequiredValue(output),
            parseResult.GetValue(acks),
            parseResult.GetValue(maxSize),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));

        var command = new Command("pcap", "Write RELOAD messages to pcap captures");
        command.Subcommands.Add(write);
        return command;
    }

    internal static int Write(string[] files, string path, bool acks, int maxMessageSize, TextWriter output, TextWriter error)
    {
        InputFiles.CheckMaxMessageSize(maxMessageSize);
        // The output is checked first (not a directory, not one of the inputs), then each input is read bounded.
        using var outputs = new OutputSet(files);
        outputs.Check(path);
        var inputs = files.Select(f => (Name: f, Bytes: InputFiles.Read(f, maxMessageSize))).ToList();
        var decoded = inputs.Select(i => (Input: DecodedInput.FromBytes(i.Name, i.Bytes), i.Bytes)).ToList();
        var invalid = decoded.Where(d => !d.Input.IsValid).ToList();
        if (invalid.Count > 0)
        {
            // One line per invalid input, the last saying that nothing was written.
            for (int i = 0; i < invalid.Count; i++)
                error.WriteLine(i < invalid.Count - 1
                    ? $"p2psip: {invalid[i].Input.InvalidLine}"
                    : $"p2psip: {invalid[i].Input.InvalidLine}; {path} not written ({invalid.Count} invalid input{(invalid.Count == 1 ? "" : "s")})");
            return ExitCodes.Failed;
        }

        int packets = 0;
        outputs.Add(path, temp =>
        {
            using var writer = OpenWriter(temp, path);
            var flow = writer.OpenTcpFlow();
            foreach (var (input, bytes) in decoded)
            {
                var direction = DirectionOf(input);
                if (input.Frame is null) flow.SendMessage(bytes, direction);
                else flow.SendFrame(input.Frame, direction);
                if (acks && input.Frame is null or DataFrame)
                    flow.SendAck(direction == FlowDirection.ToServer ? FlowDirection.ToClient : FlowDirection.ToServer);
            }
            flow.Close();
            packets = writer.PacketsWritten;
        });
        outputs.Commit();
        output.WriteLine($"wrote {decoded.Count} message{(decoded.Count == 1 ? "" : "s")} in {packets} packets to {path}");
        return ExitCodes.Ok;
    }

    /// <summary>Requests go to the RELOAD port; answers, errors and framing ACKs come back from it.</summary>
    private static FlowDirection DirectionOf(DecodedInput input) =>
        input.Message is { } message && MessageCodes.IsRequest(message.MessageCode) ? FlowDirection.ToServer
        : input.Message is null && input.Frame is DataFrame ? FlowDirection.ToServer
        : FlowDirection.ToClient;

    private static PcapCaptureWriter OpenWriter(string temp, string path)
    {
        try
        {
            return new PcapCaptureWriter(temp);
        }
        catch (CaptureFileException e)
        {
            throw new CliError(e.Message.Replace(temp, path, StringComparison.Ordinal));
        }
    }
}
