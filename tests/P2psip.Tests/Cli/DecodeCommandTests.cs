using System.Text.Json;
using P2psip.Capture;
using P2psip.Framing;
using P2psip.Tests.Capture;

namespace P2psip.Tests.Cli;

public class DecodeCommandTests
{
    private static string WriteFile(string directory, string name, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(directory, name), bytes);
        return name;
    }

    /// <summary>The error message with its error_code set to 0, invalidErrorCode (§14.9).</summary>
    private static byte[] InvalidMessage()
    {
        var bytes = CaptureSamples.ErrorMessage();
        bytes[64] = 0;
        bytes[65] = 0;
        return bytes;
    }

    [Fact]
    public void A_valid_file_is_dumped_and_exits_0()
    {
        var dir = CliRunner.NewDirectory();
        WriteFile(dir, "ok.bin", CaptureSamples.ErrorMessage());
        var (exit, output, error) = CliRunner.Run(dir, "decode", "ok.bin");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var lines = CliRunner.Lines(output);
        Assert.Equal("== ok.bin: error txid 0x0102030405060708", lines[0]);
        Assert.Contains(lines, l => l.Contains("error_code: 3 = 0x0003 (Error_Not_Found)", StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_file_prints_one_line_and_exits_1()
    {
        var dir = CliRunner.NewDirectory();
        WriteFile(dir, "bad.bin", InvalidMessage());
        var (exit, output, error) = CliRunner.Run(dir, "decode", "bad.bin");
        Assert.Equal(1, exit);
        Assert.Equal("", error);
        Assert.Equal(
            ["bad.bin: invalid: message_contents.message_body.error.error_code at offset 64: the value 0 is invalidErrorCode (RFC 6940 §14.9)"],
            CliRunner.Lines(output));
    }

    [Fact]
    public void Valid_and_invalid_files_together_exit_1_after_decoding_all()
    {
        var dir = CliRunner.NewDirectory();
        WriteFile(dir, "bad.bin", InvalidMessage());
        WriteFile(dir, "ok.bin", CaptureSamples.ErrorMessage());
        var (exit, output, _) = CliRunner.Run(dir, "decode", "bad.bin", "ok.bin");
        Assert.Equal(1, exit);
        var lines = CliRunner.Lines(output);
        Assert.StartsWith("bad.bin: invalid: ", lines[0]);
        Assert.Equal("== ok.bin: error txid 0x0102030405060708", lines[1]);
    }

    [Fact]
    public void A_missing_file_is_one_line_on_stderr_and_exits_2()
    {
        var dir = CliRunner.NewDirectory();
        var (exit, output, error) = CliRunner.Run(dir, "decode", "missing.bin");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(["p2psip: missing.bin: no such file"], CliRunner.Lines(error));
    }

    [Fact]
    public void Hex_is_decoded_including_framed_messages()
    {
        var dir = CliRunner.NewDirectory();
        var hex = Convert.ToHexString(new DataFrame(9, CaptureSamples.ErrorMessage()).Encode());
        var (exit, output, _) = CliRunner.Run(dir, "decode", "--hex", hex);
        Assert.Equal(0, exit);
        var lines = CliRunner.Lines(output);
        Assert.Equal("== --hex: framed data sequence 9: error txid 0x0102030405060708", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("  type: 128 = 0x80 (data)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("forwarding_header", StringComparison.Ordinal));

        (exit, output, var error) = CliRunner.Run(dir, "decode", "--hex", "xyz");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(CliRunner.Lines(error));
    }

    [Fact]
    public void Json_prints_one_object_per_line()
    {
        var dir = CliRunner.NewDirectory();
        WriteFile(dir, "ok.bin", CaptureSamples.ErrorMessage());
        WriteFile(dir, "ack.bin", new AckFrame(3, 0).Encode());
        WriteFile(dir, "bad.bin", InvalidMessage());
        var (exit, output, _) = CliRunner.Run(dir, "decode", "--json", "ok.bin", "ack.bin", "bad.bin");
        Assert.Equal(1, exit);
        var lines = CliRunner.Lines(output);
        Assert.Equal(3, lines.Length);
        using var ok = JsonDocument.Parse(lines[0]);
        Assert.Equal("ok.bin", ok.RootElement.GetProperty("source").GetString());
        Assert.Equal("Error_Not_Found", ok.RootElement.GetProperty("message").GetProperty("message_contents")
            .GetProperty("message_body").GetProperty("error").GetProperty("error_code").GetProperty("name").GetString());
        using var ack = JsonDocument.Parse(lines[1]);
        Assert.Equal(3, ack.RootElement.GetProperty("frame").GetProperty("framed_message").GetProperty("ack_sequence").GetInt32());
        using var bad = JsonDocument.Parse(lines[2]);
        var invalid = bad.RootElement.GetProperty("invalid");
        Assert.Equal("message_contents.message_body.error.error_code", invalid.GetProperty("field_path").GetString());
        Assert.Equal(64, invalid.GetProperty("offset").GetInt32());
        Assert.Equal("14.9", invalid.GetProperty("rfc_section").GetString());
    }

    [Fact]
    public void A_capture_is_decoded_frame_by_frame()
    {
        var dir = CliRunner.NewDirectory();
        using (var writer = new PcapCaptureWriter(Path.Combine(dir, "c.pcap")))
        {
            var flow = writer.OpenTcpFlow();
            flow.SendMessage(CaptureSamples.ErrorMessage());
            flow.SendAck(FlowDirection.ToClient);
            flow.SendMessage(InvalidMessage(), FlowDirection.ToClient);
        }
        var (exit, output, _) = CliRunner.Run(dir, "decode", "--pcap", "c.pcap");
        Assert.Equal(1, exit);
        var lines = CliRunner.Lines(output);
        Assert.StartsWith("== c.pcap frame 4 2026-01-01T00:00:00.003000Z tcp 192.0.2.1:49152 -> 192.0.2.2:6084: framed data sequence 1: error", lines[0]);
        Assert.Contains("== c.pcap frame 5 2026-01-01T00:00:00.004000Z tcp 192.0.2.2:6084 -> 192.0.2.1:49152: framed ack of sequence 1", lines);
        Assert.Equal("c.pcap frame 6 2026-01-01T00:00:00.005000Z tcp 192.0.2.2:6084 -> 192.0.2.1:49152: framed data sequence 1: invalid: message_contents.message_body.error.error_code at offset 64: the value 0 is invalidErrorCode (RFC 6940 §14.9)", lines[^1]);

        (exit, output, var error) = CliRunner.Run(dir, "decode", "--pcap", "c.pcap", "--port", "7000");
        Assert.Equal(0, exit);
        Assert.Equal("", output);
        Assert.Equal(["p2psip: c.pcap: no RELOAD frames or messages in 6 packets"], CliRunner.Lines(error));

        (exit, output, _) = CliRunner.Run(dir, "decode", "--pcap", "c.pcap", "--json");
        Assert.Equal(1, exit);
        var json = CliRunner.Lines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([4, 5, 6], json.Select(j => j.GetProperty("frame_number").GetInt32()));
        Assert.Equal("192.0.2.1:49152", json[0].GetProperty("src").GetString());
    }

    [Fact]
    public void A_file_that_is_not_a_capture_is_one_line_and_exits_2()
    {
        var dir = CliRunner.NewDirectory();
        File.WriteAllText(Path.Combine(dir, "notes.pcap"), "not a capture");
        var (exit, output, error) = CliRunner.Run(dir, "decode", "--pcap", "notes.pcap");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith("p2psip: notes.pcap: not a pcap or pcapng file", line);

        (exit, _, error) = CliRunner.Run(dir, "decode", "--pcap", "absent.pcap");
        Assert.Equal(2, exit);
        Assert.Equal(["p2psip: absent.pcap: no such file"], CliRunner.Lines(error));
    }

    [Fact]
    public void No_input_is_a_usage_error()
    {
        var (exit, output, error) = CliRunner.Run(CliRunner.NewDirectory(), "decode");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(CliRunner.Lines(error));
        Assert.DoesNotContain("   at ", error);
    }
}
