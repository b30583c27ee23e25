using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The value of Kind SIP-REGISTRATION (1), a dictionary keyed by the registering Node-ID, stored
/// at the hash of the AOR (RFC 7904 §3):
/// <code>
///   enum { sip_registration_uri(1), sip_registration_route(2), (255) } SipRegistrationType;
///   select (SipRegistration.type) {
///     case sip_registration_uri:   opaque uri&lt;0..2^16-1&gt;;
///     case sip_registration_route: opaque contact_prefs&lt;0..2^16-1&gt;; Destination destination_list&lt;0..2^16-1&gt;;
///     /* This type can be extended */
///   } SipRegistrationData;
///   struct { SipRegistrationType type; uint16 length; SipRegistrationData data; } SipRegistration;
/// </code>
/// The type enum has no invalid(0) value and the select may be extended, so an unknown type is kept
/// whole (<see cref="UnknownSipRegistration"/>), as its length allows.
/// </summary>
public abstract record SipRegistration
{
    internal const string Rfc = "RFC 7904 §3";

    public const byte UriType = 1, RouteType = 2;

    public abstract byte Type { get; }

    public static string? TypeName(ulong t) => t switch { 1 => "sip_registration_uri", 2 => "sip_registration_route", _ => null };

    internal abstract void WriteData(WireWriter w);

    internal void Write(WireWriter w)
    {
        w.U8("type", Type, FieldKind.Enum, TypeName);
        var length = w.Reserve("length", 2);
        w.Begin("data");
        WriteData(w);
        w.Fill(length, w.End());
    }

    /// <summary>The bytes of the DataValue's value field.</summary>
    public byte[] Encode() => KindValueCodec.Encode(Write);

    /// <summary>This registration as the DataValue of a dictionary entry.</summary>
    public DataValue ToDataValue() => DataValue.Of(Encode());

    /// <summary>This registration as the entry a node stores under its own Node-ID (USER-NODE-MATCH, §7.3.3).</summary>
    public DictionaryEntry ToEntry(Opaque registeringNodeId) => new(registeringNodeId, ToDataValue());

    /// <summary>Decodes a DataValue's value field as a SipRegistration; the Node-ID length comes from <paramref name="options"/>.</summary>
    public static DecodeResult<SipRegistration> Decode(Opaque value, DecodeOptions? options = null) =>
        KindValueCodec.Decode<SipRegistration>(value, options, TryRead, Rfc);

    internal static bool TryRead(ref WireReader r, out SipRegistration value)
    {
        value = null!;
        if (!r.U8("type", Rfc, out var type)) return false;
        int lengthAt = r.Position;
        if (!r.U16("length", Rfc, out var length)) return false;
        if (!r.Narrow("length", lengthAt, length, Rfc, out var saved)) return false;
        switch (type)
        {
            case UriType:
                if (!r.Vector("uri", 2, Rfc, out var uri)) return r.Nest("data");
                value = new SipRegistrationUri(uri);
                break;
            case RouteType:
                if (!r.Vector("contact_prefs", 2, Rfc, out var prefs)) return r.Nest("data");
                if (!r.Enter("destination_list", 2, Rfc, out var listEnd)
                    || !r.List<Destination>("destination_list", Rfc, Destination.TryReadElement, out var destinations)
                    || !r.Leave("destination_list", listEnd, Rfc))
                    return r.Nest("data");
                value = new SipRegistrationRoute(prefs, destinations);
                break;
            default:
                value = new UnknownSipRegistration(type, r.Rest());
                break;
        }
        return r.Leave("data", saved, Rfc);
    }
}

/// <summary>A registration by URI: callers route to it with ordinary SIP (RFC 7904 §3.1).</summary>
public sealed record SipRegistrationUri(Opaque Uri) : SipRegistration
{
    public static SipRegistrationUri Of(string uri) => new(Opaque.Utf8(uri));

    public override byte Type => UriType;

    public string UriText => System.Text.Encoding.UTF8.GetString(Uri.Span);

    internal override void WriteData(WireWriter w) => w.Vector("uri", 2, Uri.Span);

    public override string ToString() => $"sip_registration_uri {UriText}";
}

/// <summary>
/// A registration by destination list: callers AppAttach along it to the registered node
/// (RFC 7904 §3.1); contact_prefs carries the callee capabilities of RFC 3840.
/// </summary>
public sealed record SipRegistrationRoute(Opaque ContactPrefs, ValueList<Destination> DestinationList) : SipRegistration
{
    public override byte Type => RouteType;

    internal override void WriteData(WireWriter w)
    {
        w.Vector("contact_prefs", 2, ContactPrefs.Span);
        w.BeginVector("destination_list", 2, isList: true);
        foreach (var destination in DestinationList)
        {
            w.BeginElement();
            destination.Write(w);
            w.End();
        }
        w.EndVector();
    }

    public override string ToString() => $"sip_registration_route {System.Text.Encoding.UTF8.GetString(ContactPrefs.Span)} via {DestinationList}";
}

/// <summary>A SipRegistration type this codec does not know, kept byte for byte.</summary>
public sealed record UnknownSipRegistration(byte RegistrationType, Opaque Data) : SipRegistration
{
    public override byte Type => RegistrationType;
    internal override void WriteData(WireWriter w) => w.Bytes("bytes", Data.Span);
    public override string ToString() => $"type {RegistrationType} {Data}";
}
