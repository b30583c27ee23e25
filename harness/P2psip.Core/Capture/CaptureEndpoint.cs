using System.Net;

namespace P2psip.Capture;

/// <summary>
/// An address and port seen in a capture, compared by value without allocating (IPv4 addresses are
/// held as IPv4-mapped IPv6), so that it can key a flow table read at millions of packets a second.
/// </summary>
public readonly record struct CaptureEndpoint(UInt128 Address, bool IsIPv4, ushort Port)
{
    public static CaptureEndpoint FromIPv4(ReadOnlySpan<byte> address, ushort port) =>
        new((UInt128)0xffff << 32 | System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address), true, port);

    public static CaptureEndpoint FromIPv6(ReadOnlySpan<byte> address, ushort port) =>
        new(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(address), false, port);

    public static CaptureEndpoint From(IPEndPoint endpoint)
    {
        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return written == 4 ? FromIPv4(bytes[..4], (ushort)endpoint.Port) : FromIPv6(bytes, (ushort)endpoint.Port);
    }

    public IPAddress IPAddress
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, Address);
            return IsIPv4 ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
        }
    }

    public IPEndPoint ToIPEndPoint() => new(IPAddress, Port);

    /// <summary>As Wireshark writes it: 192.0.2.1:49152, [2001:db8::1]:6084.</summary>
    public override string ToString() => ToIPEndPoint().ToString();
}
