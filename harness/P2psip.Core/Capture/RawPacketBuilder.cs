using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace P2psip.Capture;

/// <summary>
/// Writes Ethernet + IPv4/IPv6 + TCP/UDP headers with correct lengths and checksums into a span,
/// without allocating: the streamed capture writer builds every packet with it. (PcapPacketBuilder
/// does the same through PacketDotNet objects, which is convenient for a few packets and slow for
/// millions.)
/// </summary>
internal static class RawPacketBuilder
{
    public const int EthernetHeader = 14, IPv4Header = 20, IPv6Header = 40, TcpHeader = 20, UdpHeader = 8;

    public const byte Fin = 0x01, Syn = 0x02, Psh = 0x08, Ack = 0x10;

    public static int HeaderSize(bool ipv6, bool tcp) => EthernetHeader + (ipv6 ? IPv6Header : IPv4Header) + (tcp ? TcpHeader : UdpHeader);

    /// <summary>
    /// Writes one packet into <paramref name="packet"/> (at least <see cref="HeaderSize"/> + payload
    /// bytes) and returns its length. Source and destination are of the same address family.
    /// </summary>
    public static int Build(Span<byte> packet, IPEndPoint source, IPEndPoint destination, bool toServer, bool tcp,
        uint sequence, uint acknowledgment, byte flags, ReadOnlySpan<byte> payload, ushort ipId)
    {
        bool ipv6 = source.AddressFamily == AddressFamily.InterNetworkV6;
        if (destination.AddressFamily != source.AddressFamily)
            throw new ArgumentException($"capture endpoints {source} and {destination} are of different address families");
        int ipHeader = ipv6 ? IPv6Header : IPv4Header;
        int transportHeader = tcp ? TcpHeader : UdpHeader;
        int transportLength = transportHeader + payload.Length;

        // Ethernet: locally administered MACs, one per side, so Wireshark tells the sides apart.
        var eth = packet[..EthernetHeader];
        eth.Clear();
        eth[0] = 0x02; eth[5] = toServer ? (byte)2 : (byte)1;
        eth[6] = 0x02; eth[11] = toServer ? (byte)1 : (byte)2;
        BinaryPrimitives.WriteUInt16BigEndian(eth[12..], ipv6 ? (ushort)0x86dd : (ushort)0x0800);

        var ip = packet.Slice(EthernetHeader, ipHeader);
        ip.Clear();
        Span<byte> src = stackalloc byte[16], dst = stackalloc byte[16];
        source.Address.TryWriteBytes(src, out int addressLength);
        destination.Address.TryWriteBytes(dst, out _);
        byte protocol = tcp ? (byte)6 : (byte)17;
        if (ipv6)
        {
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)transportLength);
            ip[6] = protocol;
            ip[7] = 64;
            src[..16].CopyTo(ip[8..]);
            dst[..16].CopyTo(ip[24..]);
        }
        else
        {
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(ipHeader + transportLength));
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], ipId);
            ip[6] = 0x40; // Don't Fragment, as a TCP stack sets it
            ip[8] = 64;
            ip[9] = protocol;
            src[..4].CopyTo(ip[12..]);
            dst[..4].CopyTo(ip[16..]);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Fold(Sum(ip, 0)));
        }

        var transport = packet.Slice(EthernetHeader + ipHeader, transportLength);
        transport[..transportHeader].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(transport, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(transport[2..], (ushort)destination.Port);
        payload.CopyTo(transport[transportHeader..]);
        int checksumAt;
        if (tcp)
        {
            BinaryPrimitives.WriteUInt32BigEndian(transport[4..], sequence);
            BinaryPrimitives.WriteUInt32BigEndian(transport[8..], acknowledgment);
            transport[12] = TcpHeader / 4 << 4;
            transport[13] = flags;
            BinaryPrimitives.WriteUInt16BigEndian(transport[14..], 65535);
            checksumAt = 16;
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(transport[4..], (ushort)transportLength);
            checksumAt = 6;
        }
        // The pseudo-header: addresses, protocol, transport length.
        ulong sum = Sum(src[..addressLength], 0);
        sum = Sum(dst[..addressLength], sum);
        sum += protocol;
        sum += (uint)transportLength;
        ushort checksum = Fold(Sum(transport, sum));
        if (!tcp && checksum == 0) checksum = 0xffff; // UDP: 0 means "no checksum"
        BinaryPrimitives.WriteUInt16BigEndian(transport[checksumAt..], checksum);
        return EthernetHeader + ipHeader + transportLength;
    }

    /// <summary>The ones'-complement sum of 16-bit big-endian words (RFC 1071), not yet folded.</summary>
    private static ulong Sum(ReadOnlySpan<byte> data, ulong sum)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) sum += (uint)(data[i] << 8);
        return sum;
    }

    private static ushort Fold(ulong sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
