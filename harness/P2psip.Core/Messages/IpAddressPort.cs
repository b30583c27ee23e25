using System.Net;
using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// A transport address (§6.3.1.1):
/// <code>
///   enum { invalidAddressType(0), ipv4_address(1), ipv6_address(2), (255) } AddressType;
///   struct { AddressType type; uint8 length; select (type) { case ipv4_address: IPv4AddrPort v4addr_port;
///            case ipv6_address: IPv6AddrPort v6addr_port; /* This structure can be extended */ }; } IpAddressPort;
/// </code>
/// Unknown address types are kept whole, as the length field allows (§6.3.1.1).
/// </summary>
public sealed record IpAddressPort(byte Type, Opaque Address, ushort Port)
{
    internal const string Rfc = "6.3.1.1";
    public const byte Ipv4 = 1, Ipv6 = 2;

    public static IpAddressPort From(IPEndPoint endPoint) =>
        new(endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? Ipv6 : Ipv4, endPoint.Address.GetAddressBytes(), (ushort)endPoint.Port);

    public static IpAddressPort Parse(string hostPort) => From(IPEndPoint.Parse(hostPort));

    /// <summary>The endpoint, or null for an unknown address type.</summary>
    public IPEndPoint? ToEndPoint() => Type is Ipv4 or Ipv6 ? new IPEndPoint(new IPAddress(Address.Span), Port) : null;

    public static string? TypeName(ulong t) => t switch { 0 => "invalidAddressType", 1 => "ipv4_address", 2 => "ipv6_address", _ => null };

    internal void Write(WireWriter w, string name)
    {
        w.Begin(name);
        w.U8("type", Type, FieldKind.Enum, TypeName);
        var length = w.Reserve("length", 1);
        int start = w.Position;
        if (Type is Ipv4 or Ipv6)
        {
            w.Bytes("addr", Address.Span);
            w.U16("port", Port);
        }
        else
        {
            w.Bytes("value", Address.Span);
        }
        w.Fill(length, w.Position - start);
        w.End();
    }

    internal static bool TryRead(ref WireReader r, string name, out IpAddressPort value)
    {
        value = null!;
        if (!r.Enum8NonZero("type", Rfc, out var type)) return r.Nest(name);
        int lengthAt = r.Position;
        if (!r.U8("length", Rfc, out var length)) return r.Nest(name);
        int expected = type switch { Ipv4 => 6, Ipv6 => 18, _ => -1 };
        if (expected >= 0 && length != expected)
            return r.Reject("length", lengthAt, $"an {TypeName(type)} is {expected} bytes, length says {length}", Rfc) || r.Nest(name);
        if (!r.Narrow("value", lengthAt, length, Rfc, out var saved)) return r.Nest(name);
        Opaque address;
        ushort port = 0;
        if (expected >= 0)
        {
            r.Bytes("addr", expected - 2, Rfc, out address);
            r.U16("port", Rfc, out port);
        }
        else
        {
            address = r.Rest();
        }
        r.Leave("value", saved, Rfc);
        value = new IpAddressPort(type, address, port);
        return true;
    }

    public override string ToString() => ToEndPoint()?.ToString() ?? $"type {Type} {Address}";
}
