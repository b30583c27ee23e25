using System.Buffers.Binary;
using System.Text.Json;
using P2psip.Capture;
using P2psip.Messages;
using P2psip.Tests.Capture;
using P2psip.Tests.Wire;
using Snapshooter.Xunit;

namespace P2psip.Tests.Cli;

/// <summary><c>p2psip decode --pcap</c>: summary, filter, JSON, framed and unframed flows, bad captures.</summary>
public class CaptureDecodeCommandTests
{
    private const ulong WideTransactionId = 0xfedcba9876543210;

    private static byte[] Message(MessageBody body, ulong transactionId, byte[]? via = null)
    {
        var sample = MessageRoundTripTests.Sample(body);
        var header = sample.Header with { TransactionId = transactionId };
        if (via is not null) header = header with { ViaList = new Destination[] { new NodeDestination(new P2psip.Wire.Opaque(via)) } };
        return ReloadCodec.Encode(sample with { Header = header });
    }

    private static byte[] Invalid()
    {
        var bytes = CaptureSamples.ErrorMessage();
        bytes[64] = 0; // error_code 0 is invalidErrorCode (§14.9)
        bytes[65] = 0;
        return bytes;
    }

    /// <summary>
    /// One framed connection (an error answer, an ACK, an invalid message, a ping from a given node)
    /// and one unframed connection with garbage between two messages. Fixed clock: always the same file.
    /// </summary>
    private static string WriteMixedCapture(string directory)
    {
        var path = Path.Combine(directory, "mixed.pcap");
        using var writer = new PcapCaptureWriter(path);
        var framed = writer.OpenTcpFlow();
        framed.SendMessage(Message(ErrorResponse.Of(ErrorCodes.NotFound, "nothing here"), WideTransactionId), FlowDirection.ToClient);
        framed.SendAck(FlowDirection.ToServer);
        framed.SendMessage(Invalid(), FlowDirection.ToClient);
        framed.SendMessage(Message(new P2psip.Messages.Link.PingReq(P2psip.Wire.Opaque.Empty), 0x11, via: [0xa1, 0xb2, 0xc3, 0xd4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        var unframed = writer.OpenTcpFlow();
        unframed.SendBytes(Message(ErrorResponse.Of(ErrorCodes.Forbidden, "no"), 0x22), FlowDirection.ToClient);
        unframed.SendBytes([0x13, 0x37, 0x13, 0x37, 0x00], FlowDirection.ToClient);
        unframed.SendBytes(Message(new P2psip.Messages.Link.PingReq(P2psip.Wire.Opaque.Empty), 0x33), FlowDirection.ToServer);
        unframed.SendBytes(Message(ErrorResponse.Of(ErrorCodes.NotFound, "gone"), 0x44), FlowDirection.ToClient);
        return path;
    }

    [Fact]
    public void Summary_prints_one_line_per_message_and_reports_skipped_bytes()
    {
        var dir = CliRunner.NewDirectory();
        WriteMixedCapture(dir);
        var (exit, output, error) = CliRunner.Run(dir, "decode", "--summary", "--pcap", "mixed.pcap");
        Assert.Equal(1, exit); // an invalid message and skipped bytes
        Snapshot.Match(output);
        Assert.Equal(["p2psip: mixed.pcap: tcp 192.0.2.2:6084 -> 192.0.2.1:49153: 5 bytes not parsed in 1 run (2 messages decoded in the stream)"], CliRunner.Lines(error));
    }

    [Fact]
    public void Filter_selects_by_code_error_and_node()
    {
        var dir = CliRunner.NewDirectory();
        WriteMixedCapture(dir);
        var (exit, output, _) = CliRunner.Run(dir, "decode", "--summary", "--pcap", "mixed.pcap", "--filter", "code=error and error=Not_Found");
        Assert.Equal(1, exit);
        var byError = CliRunner.Lines(output);
        (_, output, _) = CliRunner.Run(dir, "decode", "--summary", "--pcap", "mixed.pcap", "--filter", "node=a1b2c3");
        var byNode = CliRunner.Lines(output);
        (_, output, _) = CliRunner.Run(dir, "decode", "--summary", "--pcap", "mixed.pcap", "--filter", "code!=error,ack");
        var notErrors = CliRunner.Lines(output);
        Snapshot.Match(new { byError, byNode, notErrors });
    }

    [Theory]
    [InlineData("cod=error", "unknown key 'cod'")]
    [InlineData("code=storee_req", "unknown message code 'storee_req'")]
    [InlineData("code=error or error=3", "expected 'and' between clauses, got 'or'")]
    [InlineData("node=abc", "not a Node-ID in hex")]
    [InlineData("code", "is not KEY=VALUE")]
    public void A_bad_filter_is_one_line_and_exit_2(string filter, string expected)
    {
        var dir = CliRunner.NewDirectory();
        WriteMixedCapture(dir);
        var (exit, output, error) = CliRunner.Run(dir, "decode", "--summary", "--pcap", "mixed.pcap", "--filter", filter);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith("p2psip: --filter: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void Json_writes_transaction_ids_as_strings()
    {
        var dir = CliRunner.NewDirectory();
        WriteMixedCapture(dir);
        var (exit, output, _) = CliRunner.Run(dir, "decode", "--json", "--pcap", "mixed.pcap");
        Assert.Equal(1, exit);
        var objects = CliRunner.Lines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var first = objects[0].GetProperty("message").GetProperty("forwarding_header").GetProperty("transaction_id");
        Assert.Equal(JsonValueKind.String, first.ValueKind);
        Assert.Equal(WideTransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture), first.GetString());
        Assert.Equal("ack", objects[1].EnumerateObject().Select(p => p.Name).Single(n => n == "ack"));
        Assert.True(objects[2].TryGetProperty("invalid", out _));
        var skipped = objects.Single(o => o.TryGetProperty("skipped", out _)).GetProperty("skipped");
        Assert.Equal(5, skipped.GetProperty("bytes").GetInt32());
        Assert.Equal(["framed", "framed", "framed", "framed", "unframed", "unframed", "unframed"],
            objects.Where(o => o.TryGetProperty("framing", out _)).Select(o => o.GetProperty("framing").GetString()));
    }

    [Fact]
    public void Pcapng_captures_decode_like_pcap()
    {
        var dir = CliRunner.NewDirectory();
        var pcap = WriteMixedCapture(dir);
        File.WriteAllBytes(Path.Combine(dir, "mixed.pcapng"), ToPcapng(File.ReadAllBytes(pcap)));
        var (_, fromPcap, _) = CliRunner.Run(dir, "decode", "--summary", "--pcap", "mixed.pcap");
        var (exit, fromPcapng, _) = CliRunner.Run(dir, "decode", "--summary", "--pcap", "mixed.pcapng");
        Assert.Equal(1, exit);
        Assert.Equal(fromPcap, fromPcapng);
    }

    public static TheoryData<string, byte[], string> BadCaptures()
    {
        var good = File.ReadAllBytes(WriteMixedCapture(CliRunner.NewDirectory()));
        return new()
        {
            { "empty.pcap", [], "p2psip: empty.pcap: empty file, not a capture" },
            { "text.pcap", "not a capture"u8.ToArray(), "p2psip: text.pcap: not a pcap or pcapng file (starts with 6e6f7420)" },
            { "short.pcap", good[..10], "p2psip: short.pcap: capture is cut short in the 24-byte pcap file header" },
            { "cut.pcap", good[..(good.Length - 7)], "p2psip: cut.pcap: capture is cut short in frame " },
            { "cut.pcapng", ToPcapng(good)[..200], "p2psip: cut.pcapng: capture is cut short in the pcapng block at byte " },
        };
    }

    [Theory]
    [MemberData(nameof(BadCaptures))]
    public void A_bad_capture_is_one_line_on_stderr_and_exit_2(string name, byte[] content, string expected)
    {
        var dir = CliRunner.NewDirectory();
        File.WriteAllBytes(Path.Combine(dir, name), content);
        var (exit, _, error) = CliRunner.Run(dir, "decode", "--summary", "--pcap", name);
        Assert.Equal(2, exit);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith(expected, line);
        Assert.DoesNotContain("   at ", error);
    }

    /// <summary>The same packets as a pcapng file: section header, one Ethernet interface, enhanced packet blocks.</summary>
    private static byte[] ToPcapng(byte[] pcap)
    {
        var output = new MemoryStream();
        void Block(uint type, ReadOnlySpan<byte> body)
        {
            int padded = (body.Length + 3) / 4 * 4;
            var block = new byte[12 + padded];
            BinaryPrimitives.WriteUInt32LittleEndian(block, type);
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), (uint)block.Length);
            body.CopyTo(block.AsSpan(8));
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(block.Length - 4), (uint)block.Length);
            output.Write(block);
        }
        var shb = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(shb, 0x1a2b3c4d);
        BinaryPrimitives.WriteUInt16LittleEndian(shb.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(shb.AsSpan(8), -1);
        Block(0x0a0d0d0a, shb);
        var idb = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(idb, 1); // Ethernet
        BinaryPrimitives.WriteUInt32LittleEndian(idb.AsSpan(4), 262144);
        Block(1, idb);
        for (int at = 24; at + 16 <= pcap.Length;)
        {
            uint seconds = BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(at));
            uint micros = BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(at + 4));
            int length = BinaryPrimitives.ReadInt32LittleEndian(pcap.AsSpan(at + 8));
            ulong ts = seconds * 1_000_000UL + micros;
            var epb = new byte[20 + length];
            BinaryPrimitives.WriteUInt32LittleEndian(epb.AsSpan(4), (uint)(ts >> 32));
            BinaryPrimitives.WriteUInt32LittleEndian(epb.AsSpan(8), (uint)ts);
            BinaryPrimitives.WriteInt32LittleEndian(epb.AsSpan(12), length);
            BinaryPrimitives.WriteInt32LittleEndian(epb.AsSpan(16), length);
            pcap.AsSpan(at + 16, length).CopyTo(epb.AsSpan(20));
            Block(6, epb);
            at += 16 + length;
        }
        return output.ToArray();
    }
}
