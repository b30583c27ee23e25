using System.Net;
using PacketDotNet;
using P2psip.Capture;
using P2psip.Framing;
using P2psip.Messages;
using P2psip.Wire;
using SharpPcap;
using SharpPcap.LibPcap;

namespace P2psip.Tests.Capture;

public class PcapRoundTripTests
{
    [Fact]
    public void Messages_written_over_tcp_are_read_back_in_order_with_directions()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var request = CaptureSamples.ErrorMessage("request side");
        var answer = CaptureSamples.LargeMessage();
        using (var writer = new PcapCaptureWriter(path))
        {
            var flow = writer.OpenTcpFlow();
            flow.SendMessage(request, FlowDirection.ToServer);
            flow.SendAck(FlowDirection.ToClient);
            flow.SendMessage(answer, FlowDirection.ToClient);
            flow.SendAck(FlowDirection.ToServer);
            flow.Close();
        }

        var records = PcapReloadReader.ReadAll(path);
        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.True(r.IsValid, r.ToString()));
        Assert.All(records, r => Assert.Equal(CaptureTransport.Tcp, r.Transport));

        var first = Assert.IsType<DataFrame>(records[0].Frame);
        Assert.Equal(request, first.Message.ToArray());
        Assert.Equal(1u, first.Sequence);
        Assert.Equal(FlowDirection.ToServer, records[0].Direction);
        Assert.Equal(new IPEndPoint(PcapCaptureWriter.DefaultServerAddress, 6084), records[0].Destination);
        Assert.Equal(4, records[0].FrameNumber); // after the three-way handshake

        Assert.Equal(new AckFrame(1, 0), records[1].Frame);
        Assert.Equal(FlowDirection.ToClient, records[1].Direction);

        var second = Assert.IsType<DataFrame>(records[2].Frame);
        Assert.Equal(answer, second.Message.ToArray());
        Assert.Equal(FlowDirection.ToClient, records[2].Direction);
        Assert.True(ReloadCodec.Decode(second.Message.Memory).IsSuccess);
        Assert.True(records[2].FrameNumber > records[1].FrameNumber + 1, "the large message spans several segments");

        Assert.Equal(new AckFrame(1, 0), records[3].Frame);
        Assert.True(records[0].Timestamp < records[3].Timestamp);
    }

    [Fact]
    public void Ack_bitmask_marks_the_earlier_sequences_received()
    {
        var path = CaptureSamples.TempPath(".pcap");
        using (var writer = new PcapCaptureWriter(path))
        {
            var flow = writer.OpenTcpFlow();
            for (int i = 0; i < 3; i++) flow.SendMessage(CaptureSamples.ErrorMessage());
            // §6.6.2: for N = 3 and M = 1, 2 the bits N-M = 2 and 1 are set.
            Assert.Equal(new AckFrame(3, 0b110), flow.SendAck(FlowDirection.ToClient));
        }
        Assert.Equal(new AckFrame(3, 0b110), PcapReloadReader.ReadAll(path).Last().Frame);
    }

    [Fact]
    public void Every_packet_has_valid_ip_and_tcp_checksums_and_seq_ack_numbers()
    {
        var path = CaptureSamples.TempPath(".pcap");
        using (var writer = new PcapCaptureWriter(path))
        {
            var flow = writer.OpenTcpFlow();
            flow.SendMessage(CaptureSamples.LargeMessage());
            flow.SendMessage(CaptureSamples.ErrorMessage(), FlowDirection.ToClient);
            flow.Close();
        }

        using var device = new CaptureFileReaderDevice(path);
        device.Open(new DeviceConfiguration());
        Assert.Equal(LinkLayers.Ethernet, device.LinkType);
        var tcps = new List<TcpPacket>();
        while (device.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
        {
            var packet = capture.GetPacket().GetPacket();
            var ip = packet.Extract<IPv4Packet>();
            var tcp = packet.Extract<TcpPacket>();
            Assert.True(ip.ValidChecksum, "IPv4 header checksum");
            Assert.True(tcp.ValidChecksum, "TCP checksum");
            tcps.Add(tcp);
        }
        Assert.True(tcps[0].Synchronize && !tcps[0].Acknowledgment);
        Assert.True(tcps[1].Synchronize && tcps[1].Acknowledgment);
        Assert.Equal(tcps[0].SequenceNumber + 1, tcps[1].AcknowledgmentNumber);
        Assert.Equal(tcps[1].SequenceNumber + 1, tcps[2].AcknowledgmentNumber);
        // Each data segment starts where the sender's previous one ended.
        var clientSegments = tcps.Skip(3).Where(t => t.DestinationPort == 6084 && t.PayloadData.Length > 0).ToList();
        for (int i = 1; i < clientSegments.Count; i++)
            Assert.Equal(clientSegments[i - 1].SequenceNumber + (uint)clientSegments[i - 1].PayloadData.Length, clientSegments[i].SequenceNumber);
        Assert.All(tcps.Select(t => t.PayloadData?.Length ?? 0), n => Assert.InRange(n, 0, PcapTcpFlow.MaxSegmentSize));
    }

    [Fact]
    public void Udp_datagrams_are_one_frame_each_and_bad_ones_are_errors()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var message = CaptureSamples.ErrorMessage();
        using (var writer = new PcapCaptureWriter(path))
        {
            writer.WriteUdpFrame(new DataFrame(7, message));
            writer.WriteUdpFrame(new AckFrame(7, 0), direction: FlowDirection.ToClient);
            writer.Write(PcapPacketBuilder.Udp(new IPEndPoint(PcapCaptureWriter.DefaultClientAddress, 50000),
                new IPEndPoint(PcapCaptureWriter.DefaultServerAddress, 6084), true, [0x42, 1, 2], 99));
        }
        var records = PcapReloadReader.ReadAll(path);
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(CaptureTransport.Udp, r.Transport));
        Assert.Equal(new DataFrame(7, message), records[0].Frame);
        Assert.Equal(new AckFrame(7, 0), records[1].Frame);
        Assert.Equal(FlowDirection.ToClient, records[1].Direction);
        Assert.Null(records[2].Frame);
        Assert.Equal("framed_message", records[2].Error!.FieldPath);
        Assert.Contains("3 bytes skipped", records[2].Error!.Reason);
        Assert.Equal(3, records[2].FrameNumber);
    }

    [Fact]
    public void Tcp_segments_out_of_order_and_retransmitted_are_reassembled()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var frames = new FramedMessage[] { new DataFrame(1, CaptureSamples.ErrorMessage("one")), new DataFrame(2, CaptureSamples.ErrorMessage("two")) };
        var stream = frames.SelectMany(f => f.Encode()).ToArray();
        var client = new IPEndPoint(PcapCaptureWriter.DefaultClientAddress, 50001);
        var server = new IPEndPoint(PcapCaptureWriter.DefaultServerAddress, 6084);
        const uint Isn = 1000;
        byte[] Segment(int from, int to) => PcapPacketBuilder.Tcp(client, server, true, Isn + 1 + (uint)from, 1, TcpFlags.Ack, stream.AsSpan(from, to - from), 0);
        using (var writer = new PcapCaptureWriter(path))
        {
            writer.Write(PcapPacketBuilder.Tcp(client, server, true, Isn, 0, TcpFlags.Syn, [], 0));
            writer.Write(Segment(50, 120));            // 2: arrives early
            writer.Write(Segment(0, 60));              // 3: fills the gap, overlapping
            writer.Write(Segment(0, 30));              // 4: a retransmission
            writer.Write(Segment(120, stream.Length)); // 5: the rest
        }
        var records = PcapReloadReader.ReadAll(path);
        Assert.Equal(frames, records.Select(r => r.Frame));
        Assert.Equal([3, 5], records.Select(r => r.FrameNumber));
    }

    [Fact]
    public void A_garbage_run_in_a_stream_is_reported_and_decoding_resumes_behind_it()
    {
        var path = CaptureSamples.TempPath(".pcap");
        using (var writer = new PcapCaptureWriter(path))
        {
            var flow = writer.OpenTcpFlow();
            flow.SendMessage(CaptureSamples.ErrorMessage());
            flow.SendBytes([0x05, 0x06, 0x07], FlowDirection.ToServer);
            flow.SendMessage(CaptureSamples.ErrorMessage());
        }
        var records = PcapReloadReader.ReadAll(path);
        // Issue 9: nothing is skipped silently, and the message behind the garbage is still decoded.
        Assert.Equal(3, records.Count);
        Assert.True(records[0].IsValid);
        Assert.Equal("framed_message", records[1].Error!.FieldPath);
        Assert.Contains("3 bytes skipped", records[1].Error!.Reason);
        Assert.True(records[2].IsValid);
    }

    [Fact]
    public void Another_port_is_read_only_when_asked()
    {
        var path = CaptureSamples.TempPath(".pcap");
        using (var writer = new PcapCaptureWriter(path))
        {
            var flow = writer.OpenTcpFlow(server: new IPEndPoint(PcapCaptureWriter.DefaultServerAddress, 7000));
            flow.SendMessage(CaptureSamples.ErrorMessage());
        }
        Assert.Empty(PcapReloadReader.ReadAll(path));
        Assert.Single(PcapReloadReader.ReadAll(path, 7000));
    }

    [Fact]
    public void A_missing_file_or_a_file_that_is_not_a_capture_is_a_CaptureFileException()
    {
        var missing = CaptureSamples.TempPath(".pcap");
        var e = Assert.Throws<CaptureFileException>(() => new PcapReloadReader(missing));
        Assert.Contains("no such file", e.Message);

        var text = CaptureSamples.TempPath(".pcap");
        File.WriteAllText(text, "this is not a capture file at all");
        e = Assert.Throws<CaptureFileException>(() => new PcapReloadReader(text));
        Assert.Contains(text, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void The_same_traffic_always_gives_the_same_file()
    {
        string Write()
        {
            var path = CaptureSamples.TempPath(".pcap");
            using var writer = new PcapCaptureWriter(path);
            var flow = writer.OpenTcpFlow();
            flow.SendMessage(CaptureSamples.ErrorMessage());
            flow.Close();
            return path;
        }
        Assert.Equal(File.ReadAllBytes(Write()), File.ReadAllBytes(Write()));
    }
}
