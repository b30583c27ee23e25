using System.CommandLine;
using P2psip.Capture;
using P2psip.Cli.CaptureDecode;
using P2psip.Cli.Files;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip decode FILE... [--hex HEX] [--pcap FILE [--port N] [--summary] [--filter F]] [--json]</c>:
/// decodes RELOAD messages or framed messages and prints their fields. Exit 0 when everything decoded,
/// 1 when anything was invalid (one line each) or, in a capture, not parsed, 2 for a usage or I/O error.
/// </summary>
internal static class DecodeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Files each holding one RELOAD message, or one framed message (first byte 128 or 129)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var hex = new Option<string?>("--hex") { Description = "One message (or framed message) in hexadecimal" };
        var pcap = new Option<string?>("--pcap") { Description = "A pcap or pcapng capture: decode every RELOAD frame in it" };
        var port = new Option<int?>("--port") { Description = $"The RELOAD port in the capture (default {PcapCaptureWriter.ReloadPort})" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line per message instead of the dump" };
        var summary = new Option<bool>("--summary") { Description = "With --pcap: one line per message (frame, time, src -> dst, code, transaction id, length, verdict)" };
        var filter = new Option<string?>("--filter")
        {
            Description = "With --pcap: only the messages that match, e.g. 'code=store_req,fetch_req and node=a1b2' (keys code, error, node, txid; = or !=)",
        };
        var maxSize = InputFiles.MaxMessageSizeOption();

        var command = new Command("decode", "Decode RELOAD messages and print their fields");
        command.Arguments.Add(files);
        command.Options.Add(hex);
        command.Options.Add(pcap);
        command.Options.Add(port);
        command.Options.Add(json);
        command.Options.Add(summary);
        command.Options.Add(filter);
        command.Options.Add(maxSize);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(files) ?? [],
            parseResult.GetValue(hex),
            parseResult.GetValue(pcap),
            parseResult.GetValue(port),
            parseResult.GetValue(json),
            parseResult.GetValue(maxSize),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetValue(summary),
            parseResult.GetValue(filter)));
        return command;
    }

    internal static int Run(string[] files, string? hex, string? pcap, int? port, bool json, int maxMessageSize, TextWriter output, TextWriter error,
        bool summary = false, string? filterText = null)
    {
        InputFiles.CheckMaxMessageSize(maxMessageSize);
        if (files.Length == 0 && hex is null && pcap is null)
            throw new CliError("decode: give message files, --hex HEX or --pcap FILE");
        if (port is not null && pcap is null)
            throw new CliError("decode: --port applies only with --pcap");
        if (port is < 1 or > 65535)
            throw new CliError($"decode: --port must be 1..65535, got {port}");
        if ((summary || filterText is not null) && pcap is null)
            throw new CliError($"decode: {(summary ? "--summary" : "--filter")} applies only with --pcap");
        if (summary && json)
            throw new CliError("decode: give --summary or --json, not both");
        CaptureFilter? filter = null;
        if (filterText is not null)
        {
            try
            {
                filter = CaptureFilter.Parse(filterText);
            }
            catch (FormatException e)
            {
                throw new CliError($"--filter: {e.Message}");
            }
        }

        // Read everything first, so a usage or I/O error prints nothing but its one line.
        var inputs = files.Select(f => (Name: f, Bytes: InputFiles.Read(f, maxMessageSize))).ToList();
        if (hex is not null) inputs.Add(("--hex", ParseHex(hex)));
        PcapFileReader? capture = pcap is null ? null : OpenCapture(pcap);

        var printer = new DecodeOutput(output, json);
        bool allValid = true;
        foreach (var (name, bytes) in inputs)
        {
            var decoded = DecodedInput.FromBytes(name, bytes);
            allValid &= decoded.IsValid;
            printer.Write(decoded);
        }
        if (capture is not null)
        {
            output.Flush();
            using (capture)
            {
                var decoder = new ReloadCaptureDecoder(capture, (ushort)(port ?? PcapCaptureWriter.ReloadPort));
                var mode = summary ? CaptureOutputMode.Summary : json ? CaptureOutputMode.Json : CaptureOutputMode.Dump;
                try
                {
                    allValid &= new CaptureDecodeRun(pcap!, mode, filter).Run(capture, decoder, output, error);
                }
                catch (CaptureFileException e)
                {
                    throw new CliError(e.Message);
                }
            }
        }
        return allValid ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static byte[] ParseHex(string hex)
    {
        var digits = new string(hex.Where(c => !char.IsWhiteSpace(c) && c != ':').ToArray());
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw new CliError("--hex: not hexadecimal (give an even number of digits 0-9, a-f)");
        }
    }

    private static PcapFileReader OpenCapture(string path)
    {
        try
        {
            return PcapFileReader.Open(path);
        }
        catch (CaptureFileException e)
        {
            throw new CliError(e.Message);
        }
    }
}
