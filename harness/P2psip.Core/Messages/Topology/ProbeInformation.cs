using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// One element of a ProbeAns (§6.4.2.5.2):
/// <code>
///   struct {
///     select (type) {
///       case responsible_set:
///         uint32             responsible_ppb;
///       case num_resources:
///         uint32             num_resources;
///       case uptime:
///         uint32             uptime;
///       /* This type may be extended */
///     };
///   } ProbeInformationData;
///
///   struct {
///     ProbeInformationType    type;
///     uint8                   length;
///     ProbeInformationData    value;
///   } ProbeInformation;
/// </code>
/// The three defined types are 32-bit values, so their length must be 4; the length lets an unknown
/// type be kept whole (<see cref="UnknownProbeInformation"/>).
/// </summary>
public abstract record ProbeInformation
{
    internal const string Rfc = "6.4.2.5.2";

    public abstract byte Type { get; }

    internal void Write(WireWriter w)
    {
        w.U8("type", Type, FieldKind.Enum, ProbeInformationType.Name);
        var length = w.Reserve("length", 1);
        w.Begin("value");
        WriteValue(w);
        w.Fill(length, w.End());
    }

    private protected abstract void WriteValue(WireWriter w);

    internal static bool TryRead(ref WireReader r, out ProbeInformation value)
    {
        value = null!;
        if (!r.Enum8NonZero("type", Rfc, out var type)) return false;
        int lengthAt = r.Position;
        if (!r.U8("length", Rfc, out var length)) return false;
        if (ProbeInformationType.IsKnown(type) && length != 4)
            return r.Reject("length", lengthAt, $"{ProbeInformationType.Name(type)} is a uint32 (4 bytes), length says {length}", Rfc);
        if (!r.Narrow("length", lengthAt, length, Rfc, out var saved)) return false;
        uint number = 0;
        if (ProbeInformationType.IsKnown(type) && !r.U32(FieldName(type), Rfc, out number)) return r.Nest("value");
        value = type switch
        {
            ProbeInformationType.ResponsibleSet => new ResponsibleSetInformation(number),
            ProbeInformationType.NumResources => new NumResourcesInformation(number),
            ProbeInformationType.Uptime => new UptimeInformation(number),
            _ => new UnknownProbeInformation(type, r.Rest()),
        };
        return r.Leave("value", saved, Rfc);
    }

    private static string FieldName(byte type) => type switch
    {
        ProbeInformationType.ResponsibleSet => "responsible_ppb",
        ProbeInformationType.NumResources => "num_resources",
        _ => "uptime",
    };
}

/// <summary>responsible_set: the fraction of the overlay the peer is responsible for, in parts per billion.</summary>
public sealed record ResponsibleSetInformation(uint ResponsiblePpb) : ProbeInformation
{
    public override byte Type => ProbeInformationType.ResponsibleSet;
    private protected override void WriteValue(WireWriter w) => w.U32("responsible_ppb", ResponsiblePpb);
}

/// <summary>num_resources: the number of resources the peer stores.</summary>
public sealed record NumResourcesInformation(uint NumResources) : ProbeInformation
{
    public override byte Type => ProbeInformationType.NumResources;
    private protected override void WriteValue(WireWriter w) => w.U32("num_resources", NumResources);
}

/// <summary>uptime: seconds the peer has been up.</summary>
public sealed record UptimeInformation(uint Uptime) : ProbeInformation
{
    public override byte Type => ProbeInformationType.Uptime;
    private protected override void WriteValue(WireWriter w) => w.U32("uptime", Uptime);
}

/// <summary>A type this codec does not know ("This type may be extended"), kept byte for byte.</summary>
public sealed record UnknownProbeInformation(byte UnknownType, Opaque Value) : ProbeInformation
{
    public override byte Type => UnknownType;
    private protected override void WriteValue(WireWriter w) => w.Bytes("bytes", Value.Span);
}
