using System.Net;
using P2psip.Capture;
using P2psip.Messages;

namespace P2psip.Tests.Capture;

public class ReloadCaptureDecoderTests
{
    private static List<(CaptureItemKind Kind, CaptureFraming Framing, byte[] Message, long Skipped, string? Reason, long Offset)> Decode(string path, int maxMessageSize = 0xFF_FFFF)
    {
        using var reader = PcapFileReader.Open(path);
        var decoder = new ReloadCaptureDecoder(reader, p => p == 6084, maxMessageSize);
        return decoder.Items().Select(i => (i.Kind, i.Framing, i.Message.ToArray(), i.SkippedBytes, i.Reason, i.StreamOffset)).ToList();
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Fact]
    public void A_large_capture_streams_with_buffers_bounded_by_the_largest_message_not_the_file()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var large = CaptureSamples.LargeMessage(); // several segments each
        var small = CaptureSamples.ErrorMessage();
        const int Flows = 8, PerFlow = 600;
        var server = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 6084);
        var links = Enumerable.Range(0, Flows).Select(i => new CaptureLink(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 50000 + i), server, CaptureTransport.Tcp)).ToArray();
        using (var writer = PcapStreamWriter.Create(path))
        {
            var time = PcapCaptureWriter.DefaultStart;
            for (int n = 0; n < PerFlow; n++)
                foreach (var link in links)
                {
                    writer.Write(link, FlowDirection.ToServer, time, n % 2 == 0 ? large : small);
                    time = time.AddMilliseconds(1);
                }
            foreach (var link in links) writer.Close(link, time);
        }
        Assert.True(new FileInfo(path).Length > 10_000_000, "the capture is large compared with the bound");

        using var reader = PcapFileReader.Open(path);
        var decoder = new ReloadCaptureDecoder(reader);
        long messages = 0, maxBuffered = 0;
        foreach (var item in decoder.Items())
        {
            Assert.Equal(CaptureItemKind.Message, item.Kind);
            Assert.True(ReloadCodec.Decode(item.Message).IsSuccess);
            messages++;
            maxBuffered = Math.Max(maxBuffered, decoder.BufferedBytes);
        }
        Assert.Equal(Flows * PerFlow, messages);
        // Each open stream holds at most one incomplete frame: the bound does not grow with the file.
        long bound = Flows * (large.Length + 8L);
        Assert.True(decoder.PeakBufferedBytes <= bound, $"peak {decoder.PeakBufferedBytes} > {bound}");
        Assert.True(decoder.PeakBufferedBytes > 0, "large messages span segments, so something was buffered");
        Assert.Equal(0, decoder.BufferedBytes);
        Assert.Equal(256 * 1024, reader.BufferCapacity);
        Assert.Equal(0, decoder.OpenStreams);
    }

    [Fact]
    public void Unframed_messages_over_tcp_are_decoded_and_garbage_between_them_is_reported_with_count_and_reason()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var m1 = CaptureSamples.ErrorMessage("one");
        var m2 = CaptureSamples.LargeMessage();
        var m3 = CaptureSamples.ErrorMessage("three");
        var garbage = Enumerable.Repeat((byte)0x42, 37).ToArray();
        using (var writer = new PcapCaptureWriter(path))
        {
            var flow = writer.OpenTcpFlow();
            // A draft-era peer: no framing header, messages back to back, split anywhere.
            var stream = Concat(m1, m2, garbage, m3);
            flow.SendBytes(stream.AsSpan(0, 50), FlowDirection.ToServer);
            flow.SendBytes(stream.AsSpan(50), FlowDirection.ToServer);
            flow.Close();
        }

        var items = Decode(path);
        Assert.Equal([CaptureItemKind.Message, CaptureItemKind.Message, CaptureItemKind.Skipped, CaptureItemKind.Message], items.Select(i => i.Kind));
        Assert.All(items.Where(i => i.Kind == CaptureItemKind.Message), i => Assert.Equal(CaptureFraming.Unframed, i.Framing));
        Assert.Equal(m1, items[0].Message);
        Assert.Equal(m2, items[1].Message);
        Assert.Equal(37, items[2].Skipped);
        Assert.Equal(m1.Length + m2.Length, items[2].Offset);
        Assert.Contains("byte 0x42", items[2].Reason);
        Assert.Equal(m3, items[3].Message);
    }

    [Fact]
    public void Garbage_inside_a_framed_stream_is_skipped_to_the_next_data_frame()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var m1 = CaptureSamples.ErrorMessage("one");
        var m2 = CaptureSamples.ErrorMessage("two");
        using (var writer = new PcapCaptureWriter(path))
        {
            var flow = writer.OpenTcpFlow();
            flow.SendMessage(m1);
            // A DATA header claiming 16 MiB (above the 64 KiB allowed here), then noise that contains the token with an absurd length.
            flow.SendBytes([0x80, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xd2, 0x45, 0x4c, 0x4f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0xff, 0xff, 0xff, 0xff, 0x13], FlowDirection.ToServer);
            flow.SendMessage(m2);
            flow.Close();
        }

        var items = Decode(path, maxMessageSize: 65536);
        Assert.Equal([CaptureItemKind.Message, CaptureItemKind.Skipped, CaptureItemKind.Message], items.Select(i => i.Kind));
        Assert.Equal(29, items[1].Skipped);
        Assert.Contains("exceeds the maximum message size", items[1].Reason);
        Assert.Equal(m2, items[2].Message);
        Assert.Equal(CaptureFraming.Framed, items[2].Framing);
    }

    [Fact]
    public void A_stream_that_ends_inside_a_message_reports_the_bytes_left()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var m1 = CaptureSamples.ErrorMessage("one");
        using (var writer = new PcapCaptureWriter(path))
        {
            var flow = writer.OpenTcpFlow();
            flow.SendMessage(m1);
            flow.SendBytes(new P2psip.Framing.DataFrame(2, CaptureSamples.ErrorMessage()).Encode().AsSpan(0, 30), FlowDirection.ToServer);
        }
        var items = Decode(path);
        Assert.Equal([CaptureItemKind.Message, CaptureItemKind.Skipped], items.Select(i => i.Kind));
        Assert.Equal(30, items[1].Skipped);
        Assert.Contains("ends inside a DATA frame", items[1].Reason);
    }

    [Fact]
    public void A_missing_segment_is_reported_as_missing_bytes_and_decoding_resumes_after_it()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var messages = Enumerable.Range(0, 4).Select(i => CaptureSamples.ErrorMessage($"message {i}")).ToArray();
        var client = new IPEndPoint(PcapCaptureWriter.DefaultClientAddress, 50001);
        var server = new IPEndPoint(PcapCaptureWriter.DefaultServerAddress, 6084);
        // Write a connection, then copy it without the packet that carries the second message.
        var full = CaptureSamples.TempPath(".pcap");
        using (var writer = new PcapCaptureWriter(full))
        {
            var flow = writer.OpenTcpFlow(client, server);
            foreach (var m in messages) flow.SendMessage(m);
        }
        int dropped = 5; // 3 handshake packets, then one packet per message: the second message
        using (var output = File.Create(path))
        using (var input = File.OpenRead(full))
        {
            var header = new byte[24];
            input.ReadExactly(header);
            output.Write(header);
            var record = new byte[16];
            for (int n = 1; input.Read(record, 0, 16) == 16; n++)
            {
                int length = BitConverter.ToInt32(record, 8);
                var data = new byte[length];
                input.ReadExactly(data);
                if (n == dropped) continue;
                output.Write(record);
                output.Write(data);
            }
        }

        var items = Decode(path);
        Assert.Equal([CaptureItemKind.Message, CaptureItemKind.Skipped, CaptureItemKind.Message, CaptureItemKind.Message], items.Select(i => i.Kind));
        Assert.Equal(messages[1].Length + 8, items[1].Skipped);
        Assert.Contains("missing from the capture", items[1].Reason);
        Assert.Equal(messages[2], items[2].Message);
        Assert.Equal(messages[3], items[3].Message);
    }

    [Fact]
    public void A_udp_datagram_that_is_not_a_frame_is_reported_and_the_next_one_decodes()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var message = CaptureSamples.ErrorMessage();
        using (var writer = new PcapCaptureWriter(path))
        {
            writer.Write(PcapPacketBuilder.Udp(new IPEndPoint(PcapCaptureWriter.DefaultClientAddress, 50000),
                new IPEndPoint(PcapCaptureWriter.DefaultServerAddress, 6084), true, [0x42, 1, 2], 99));
            writer.WriteUdpFrame(new P2psip.Framing.DataFrame(7, message), new IPEndPoint(PcapCaptureWriter.DefaultClientAddress, 50000));
        }
        var items = Decode(path);
        Assert.Equal([CaptureItemKind.Skipped, CaptureItemKind.Message], items.Select(i => i.Kind));
        Assert.Equal(3, items[0].Skipped);
        Assert.Contains("byte 0x42", items[0].Reason);
        Assert.Equal(message, items[1].Message);
    }

    [Fact]
    public void A_capture_that_starts_mid_connection_resynchronises_on_the_first_whole_frame()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var m1 = CaptureSamples.ErrorMessage("one");
        var m2 = CaptureSamples.ErrorMessage("two");
        var client = new IPEndPoint(PcapCaptureWriter.DefaultClientAddress, 50002);
        var server = new IPEndPoint(PcapCaptureWriter.DefaultServerAddress, 6084);
        var frame1 = new P2psip.Framing.DataFrame(1, m1).Encode();
        var frame2 = new P2psip.Framing.DataFrame(2, m2).Encode();
        using (var writer = new PcapCaptureWriter(path))
        {
            // No handshake: the first segment holds the tail of frame 1, then frame 2.
            writer.Write(PcapPacketBuilder.Tcp(client, server, true, 1000, 1, TcpFlags.Ack | TcpFlags.Psh,
                Concat(frame1[20..], frame2), 1));
        }
        var items = Decode(path);
        Assert.Equal([CaptureItemKind.Skipped, CaptureItemKind.Message], items.Select(i => i.Kind));
        Assert.Equal(frame1.Length - 20, items[0].Skipped);
        Assert.Contains("middle of the connection", items[0].Reason);
        Assert.Equal(m2, items[1].Message);
    }
}
