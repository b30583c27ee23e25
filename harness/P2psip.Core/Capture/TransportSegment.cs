using System.Buffers.Binary;

namespace P2psip.Capture;

/// <summary>
/// The TCP segment or UDP datagram inside a captured packet: endpoints, TCP sequence number and
/// flags, and where the payload is. Parsed by hand from the link, IP and transport headers (no
/// allocation), for the link types captures of RELOAD come in.
/// </summary>
public readonly record struct TransportSegment(
    CaptureTransport Transport,
    CaptureEndpoint Source,
    CaptureEndpoint Destination,
    uint Sequence,
    byte TcpFlags,
    int PayloadOffset,
    int PayloadLength)
{
    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04;

    public bool IsSyn => (TcpFlags & Syn) != 0;
    public bool IsFin => (TcpFlags & Fin) != 0;
    public bool IsRst => (TcpFlags & Rst) != 0;

    // LINKTYPE_* values of the tcpdump.org registry.
    private const int Null = 0, Ethernet = 1, Raw = 101, RawAlt = 12, LinuxSll = 113, Loop = 108, IPv4 = 228, IPv6 = 229, LinuxSll2 = 276;

    /// <summary>
    /// Finds the TCP or UDP payload of <paramref name="packet"/>. False for anything else (ARP, ICMP,
    /// an IP fragment after the first, a header cut short by the snap length).
    /// </summary>
    public static bool TryParse(int linkType, ReadOnlySpan<byte> packet, out TransportSegment segment)
    {
        segment = default;
        int offset;
        int etherType;
        switch (linkType)
        {
            case Ethernet:
                if (packet.Length < 14) return false;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(packet[12..]);
                offset = 14;
                // 802.1Q / 802.1ad VLAN tags.
                while (etherType is 0x8100 or 0x88a8 && packet.Length >= offset + 4)
                {
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
                    offset += 4;
                }
                break;
            case LinuxSll:
                if (packet.Length < 16) return false;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(packet[14..]);
                offset = 16;
                break;
            case LinuxSll2:
                if (packet.Length < 20) return false;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(packet);
                offset = 20;
                break;
            case Null:
            case Loop:
                if (packet.Length < 4) return false;
                // The address family: 2 is IPv4 everywhere; IPv6 is 10, 24, 28 or 30 depending on the OS.
                uint family = linkType == Loop ? BinaryPrimitives.ReadUInt32BigEndian(packet) : BinaryPrimitives.ReadUInt32LittleEndian(packet);
                if (family > 0xffff) family = BinaryPrimitives.ReverseEndianness(family);
                etherType = family == 2 ? 0x0800 : family is 10 or 24 or 28 or 30 ? 0x86dd : 0;
                offset = 4;
                break;
            case Raw:
            case RawAlt:
                if (packet.Length < 1) return false;
                etherType = (packet[0] >> 4) == 6 ? 0x86dd : 0x0800;
                offset = 0;
                break;
            case IPv4:
                etherType = 0x0800;
                offset = 0;
                break;
            case IPv6:
                etherType = 0x86dd;
                offset = 0;
                break;
            default:
                return false;
        }

        var ip = packet[offset..];
        int protocol, ipHeader, ipEnd;
        CaptureEndpoint source, destination;
        if (etherType == 0x0800)
        {
            if (ip.Length < 20 || ip[0] >> 4 != 4) return false;
            ipHeader = (ip[0] & 0xf) * 4;
            int total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
            // A fragment other than the first carries no transport header.
            if ((BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x1fff) != 0) return false;
            if (ipHeader < 20 || ip.Length < ipHeader) return false;
            // Total length 0 is what TCP segmentation offload leaves: take what was captured.
            ipEnd = total == 0 ? ip.Length : Math.Min(ip.Length, total);
            protocol = ip[9];
            source = CaptureEndpoint.FromIPv4(ip[12..], 0);
            destination = CaptureEndpoint.FromIPv4(ip[16..], 0);
        }
        else if (etherType == 0x86dd)
        {
            if (ip.Length < 40 || ip[0] >> 4 != 6) return false;
            int payload = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
            ipEnd = payload == 0 ? ip.Length : Math.Min(ip.Length, 40 + payload);
            protocol = ip[6];
            ipHeader = 40;
            // Hop-by-hop, routing and destination options headers; a fragment header ends the search.
            while (protocol is 0 or 43 or 60 && ip.Length >= ipHeader + 8)
            {
                protocol = ip[ipHeader];
                ipHeader += (ip[ipHeader + 1] + 1) * 8;
            }
            if (ip.Length < ipHeader) return false;
            source = CaptureEndpoint.FromIPv6(ip[8..], 0);
            destination = CaptureEndpoint.FromIPv6(ip[24..], 0);
        }
        else
        {
            return false;
        }

        var transport = ip[ipHeader..ipEnd];
        int start = offset + ipHeader;
        if (protocol == 6)
        {
            if (transport.Length < 20) return false;
            int dataOffset = (transport[12] >> 4) * 4;
            if (dataOffset < 20 || transport.Length < dataOffset) return false;
            segment = new TransportSegment(CaptureTransport.Tcp,
                source with { Port = BinaryPrimitives.ReadUInt16BigEndian(transport) },
                destination with { Port = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]) },
                BinaryPrimitives.ReadUInt32BigEndian(transport[4..]), transport[13],
                start + dataOffset, transport.Length - dataOffset);
            return true;
        }
        if (protocol == 17)
        {
            if (transport.Length < 8) return false;
            int length = BinaryPrimitives.ReadUInt16BigEndian(transport[4..]);
            int payload = length >= 8 ? Math.Min(length, transport.Length) - 8 : transport.Length - 8;
            segment = new TransportSegment(CaptureTransport.Udp,
                source with { Port = BinaryPrimitives.ReadUInt16BigEndian(transport) },
                destination with { Port = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]) },
                0, 0, start + 8, payload);
            return true;
        }
        return false;
    }
}
