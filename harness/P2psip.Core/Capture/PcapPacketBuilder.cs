using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;

namespace P2psip.Capture;

/// <summary>
/// Builds whole Ethernet/IPv4 frames with PacketDotNet, with the IP and TCP/UDP lengths and
/// checksums computed, so that a capture looks exactly like traffic seen on a wire.
/// </summary>
internal static class PcapPacketBuilder
{
    private static readonly PhysicalAddress ClientMac = PhysicalAddress.Parse("02-00-00-00-00-01");
    private static readonly PhysicalAddress ServerMac = PhysicalAddress.Parse("02-00-00-00-00-02");

    public static byte[] Tcp(IPEndPoint source, IPEndPoint destination, bool towardServer, uint sequence, uint acknowledgment,
        TcpFlags flags, ReadOnlySpan<byte> payload, ushort ipId)
    {
        var tcp = new TcpPacket((ushort)source.Port, (ushort)destination.Port)
        {
            SequenceNumber = sequence,
            AcknowledgmentNumber = acknowledgment,
            WindowSize = 65535,
        };
        tcp.Synchronize = flags.HasFlag(TcpFlags.Syn);
        tcp.Acknowledgment = flags.HasFlag(TcpFlags.Ack);
        tcp.Push = flags.HasFlag(TcpFlags.Psh);
        tcp.Finished = flags.HasFlag(TcpFlags.Fin);
        if (!payload.IsEmpty) tcp.PayloadData = payload.ToArray();
        var ip = Ip(source, destination, tcp, ipId);
        tcp.UpdateTcpChecksum();
        return Ethernet(ip, towardServer).Bytes;
    }

    public static byte[] Udp(IPEndPoint source, IPEndPoint destination, bool towardServer, ReadOnlySpan<byte> payload, ushort ipId)
    {
        var udp = new UdpPacket((ushort)source.Port, (ushort)destination.Port) { PayloadData = payload.ToArray() };
        var ip = Ip(source, destination, udp, ipId);
        udp.UpdateCalculatedValues();
        udp.UpdateUdpChecksum();
        return Ethernet(ip, towardServer).Bytes;
    }

    private static IPv4Packet Ip(IPEndPoint source, IPEndPoint destination, Packet transport, ushort ipId)
    {
        if (source.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || destination.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw new ArgumentException("captures are written as IPv4: give IPv4 endpoints");
        var ip = new IPv4Packet(source.Address, destination.Address) { TimeToLive = 64, Id = ipId, PayloadPacket = transport };
        // Don't Fragment, as a TCP stack sets it.
        ip.FragmentFlags = 0x2;
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        return ip;
    }

    private static EthernetPacket Ethernet(IPv4Packet ip, bool towardServer) =>
        new(towardServer ? ClientMac : ServerMac, towardServer ? ServerMac : ClientMac, EthernetType.IPv4) { PayloadPacket = ip };
}

[Flags]
internal enum TcpFlags
{
    None = 0,
    Fin = 1,
    Syn = 2,
    Psh = 8,
    Ack = 16,
}
