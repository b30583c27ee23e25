using System.Net;
using PacketDotNet;
using P2psip.Capture;
using P2psip.Corpus;
using P2psip.Messages;
using SharpPcap;
using SharpPcap.LibPcap;

namespace P2psip.Tests.Capture;

public class PcapStreamWriterTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly CaptureLink TlsLink = new(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 41000), new IPEndPoint(IPAddress.Parse("127.0.0.1"), 19001), CaptureTransport.Tcp);
    private static readonly CaptureLink DtlsLink = new(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 41001), new IPEndPoint(IPAddress.Parse("127.0.0.1"), 19002), CaptureTransport.Udp);
    private static readonly CaptureLink Ipv6Link = new(new IPEndPoint(IPAddress.IPv6Loopback, 41002), new IPEndPoint(IPAddress.IPv6Loopback, 19003), CaptureTransport.Tcp);

    /// <summary>Every seed over a TLS-like, a DTLS-like and an IPv6 link, requests to the server, answers back.</summary>
    private static (string Path, int Messages) WriteSeeds()
    {
        var path = CaptureSamples.TempPath(".pcap");
        int count = 0;
        using var writer = PcapStreamWriter.Create(path);
        var time = Start;
        foreach (var link in new[] { TlsLink, DtlsLink, Ipv6Link })
        {
            foreach (var (_, bytes) in SeedCorpus.All())
            {
                var code = ReloadCodec.Decode(bytes).GetValueOrThrow().MessageCode;
                writer.Write(link, MessageCodes.IsRequest(code) ? FlowDirection.ToServer : FlowDirection.ToClient, time, bytes);
                time = time.AddMilliseconds(3);
                count++;
            }
            writer.Write(link, FlowDirection.ToServer, time, CaptureSamples.LargeMessage());
            count++;
            writer.Close(link, time);
        }
        return (path, count);
    }

    [Fact]
    public void Messages_written_come_back_in_order_with_the_links_addresses_and_the_reload_port()
    {
        var (path, count) = WriteSeeds();
        using var reader = PcapFileReader.Open(path);
        var decoder = new ReloadCaptureDecoder(reader);
        var items = decoder.Items().Select(i => (i.Kind, i.Stream.Transport, Source: i.Stream.Source.ToIPEndPoint(), Destination: i.Stream.Destination.ToIPEndPoint(),
            i.Sequence, Bytes: i.Message.ToArray(), i.Timestamp)).ToList();
        Assert.Equal(count, items.Count);
        Assert.All(items, i => Assert.Equal(CaptureItemKind.Message, i.Kind));
        Assert.All(items, i => Assert.True(ReloadCodec.Decode(i.Bytes).IsSuccess));
        Assert.Equal(CaptureTransport.Udp, items[SeedCorpus.All().Count + 1].Transport);
        // The listening side is on 6084; the connecting side keeps its real address and port.
        var first = items[0];
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 6084), new[] { first.Source, first.Destination });
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 41000), new[] { first.Source, first.Destination });
        Assert.Contains(items, i => i.Source.Equals(new IPEndPoint(IPAddress.IPv6Loopback, 41002)));
        Assert.Equal(Start, items[0].Timestamp);
        Assert.Equal(CaptureSamples.LargeMessage(), items[SeedCorpus.All().Count].Bytes);
    }

    [Fact]
    public void Checksums_are_valid_and_memory_does_not_grow_with_the_messages()
    {
        var (path, _) = WriteSeeds();
        using var device = new CaptureFileReaderDevice(path);
        device.Open(new DeviceConfiguration());
        int packets = 0;
        while (device.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
        {
            var packet = capture.GetPacket().GetPacket();
            if (packet.Extract<IPv4Packet>() is { } ip) Assert.True(ip.ValidChecksum, "IPv4 header checksum");
            if (packet.Extract<TcpPacket>() is { } tcp) Assert.True(tcp.ValidChecksum, $"TCP checksum of packet {packets + 1}");
            if (packet.Extract<UdpPacket>() is { } udp) Assert.True(udp.ValidChecksum, $"UDP checksum of packet {packets + 1}");
            packets++;
        }
        Assert.True(packets > 0);

        // Streamed: nothing is kept per message, only per open link.
        using var writer = new PcapStreamWriter(Stream.Null);
        for (int i = 0; i < 20_000; i++) writer.Write(TlsLink, FlowDirection.ToServer, Start, CaptureSamples.ErrorMessage());
        Assert.Equal(1, writer.OpenLinks);
        writer.Close(TlsLink, Start);
        Assert.Equal(0, writer.OpenLinks);
    }

    [Fact]
    [Trait("Category", "External")]
    public void Tshark_decodes_every_data_frame_with_a_message_code_and_nothing_malformed()
    {
        var (path, count) = WriteSeeds();
        var (data, problems) = TsharkFrameCheck.Run(path);
        Assert.Empty(problems);
        Assert.Equal(count, data);
    }
}
