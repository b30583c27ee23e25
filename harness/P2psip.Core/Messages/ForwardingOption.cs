using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// A forwarding header option (§6.3.2.3):
/// <code>
///   struct { ForwardingOptionType type; uint8 flags; uint16 length; select (type) { }; } ForwardingOption;
/// </code>
/// No option types are defined beyond exp-forward(1), so the value stays opaque.
/// </summary>
public sealed record ForwardingOption(byte Type, byte Flags, Opaque Value)
{
    internal const string Rfc = "6.3.2.3";

    public const byte ForwardCritical = 0x01, DestinationCritical = 0x02, ResponseCopy = 0x04;

    public bool IsForwardCritical => (Flags & ForwardCritical) != 0;
    public bool IsDestinationCritical => (Flags & DestinationCritical) != 0;
    public bool IsResponseCopy => (Flags & ResponseCopy) != 0;

    public static string? TypeName(ulong t) => t switch { 0 => "invalidForwardingOption", 1 => "exp-forward", _ => null };

    public static string? FlagNames(ulong f)
    {
        var names = new List<string>();
        if ((f & ForwardCritical) != 0) names.Add("FORWARD_CRITICAL");
        if ((f & DestinationCritical) != 0) names.Add("DESTINATION_CRITICAL");
        if ((f & ResponseCopy) != 0) names.Add("RESPONSE_COPY");
        return names.Count == 0 ? null : string.Join('|', names);
    }

    internal void Write(WireWriter w)
    {
        w.U8("type", Type, FieldKind.Enum, TypeName);
        w.U8("flags", Flags, FieldKind.Enum, FlagNames);
        w.Vector("option", 2, Value.Span);
    }

    internal static bool TryRead(ref WireReader r, out ForwardingOption value)
    {
        value = null!;
        if (!r.Enum8NonZero("type", Rfc, out var type)) return false;
        if (!r.U8("flags", Rfc, out var flags)) return false;
        if (!r.Vector("option", 2, Rfc, out var option)) return false;
        value = new ForwardingOption(type, flags, option);
        return true;
    }
}
