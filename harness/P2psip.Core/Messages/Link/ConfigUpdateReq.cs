using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>
/// The body of config_update_req (§6.5.4.1):
/// <code>
///   enum { invalidConfigUpdateType(0), config(1), kind(2), (255) } ConfigUpdateType;
///   typedef uint32           KindId;
///   typedef opaque           KindDescription&lt;0..2^16-1&gt;;
///   struct {
///     ConfigUpdateType       type;
///     uint32                 length;
///     select (type) {
///       case config:
///                   opaque             config_data&lt;0..2^24-1&gt;;
///       case kind:
///                   KindDescription    kinds&lt;0..2^24-1&gt;;
///       /* This structure may be extended with new types */
///     };
///   } ConfigUpdateReq;
/// </code>
/// length is "the length of the remainder of the message": it must cover the selected field exactly.
/// One record per case; a type this codec does not know is kept whole (<see cref="UnknownConfigUpdateReq"/>).
/// </summary>
public abstract record ConfigUpdateReq : MessageBody
{
    internal const string Rfc = "6.5.4.1";

    public const byte ConfigType = 1, KindType = 2;

    public static string? TypeName(ulong t) => t switch
    {
        0 => "invalidConfigUpdateType", 1 => "config", 2 => "kind", _ => null,
    };

    public override ushort Code => MessageCodes.ConfigUpdateReq;

    /// <summary>The ConfigUpdateType written for this case.</summary>
    public abstract byte Type { get; }

    internal sealed override void WriteFields(WireWriter w)
    {
        w.U8("type", Type, FieldKind.Enum, TypeName);
        var length = w.Reserve("length", 4);
        int start = w.Position;
        WriteSelected(w);
        w.Fill(length, w.Position - start);
    }

    private protected abstract void WriteSelected(WireWriter w);

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Enum8NonZero("type", Rfc, out var type)) return false;
        int lengthAt = r.Position;
        if (!r.U32("length", Rfc, out var length)) return false;
        if (!r.Narrow("length", lengthAt, length, Rfc, out var saved)) return false;
        switch (type)
        {
            case ConfigType:
                if (!r.Vector("config_data", 3, Rfc, out var configData)) return false;
                value = new ConfigDataUpdateReq(configData);
                break;
            case KindType:
                if (!r.Enter("kinds", 3, Rfc, out var kindsEnd)
                    || !r.List<Opaque>("kinds", Rfc, ReadKindDescription, out var kinds)
                    || !r.Leave("kinds", kindsEnd, Rfc))
                    return false;
                value = new KindUpdateReq(kinds);
                break;
            default:
                value = new UnknownConfigUpdateReq(type, r.Rest());
                break;
        }
        return r.Leave("length", saved, Rfc);
    }

    /// <summary><c>opaque KindDescription&lt;0..2^16-1&gt;</c>: kept as bytes (an XML kind-block, §11.1).</summary>
    private static bool ReadKindDescription(ref WireReader r, out Opaque value) => r.Vector("length", 2, Rfc, out value);
}

/// <summary>type config: a whole new Configuration Document (§6.3.2.1, §11).</summary>
public sealed record ConfigDataUpdateReq(Opaque ConfigData) : ConfigUpdateReq
{
    public override byte Type => ConfigType;
    private protected override void WriteSelected(WireWriter w) => w.Vector("config_data", 3, ConfigData.Span);
}

/// <summary>type kind: one or more XML kind-block productions, UTF-8, each a KindDescription (§11.1).</summary>
public sealed record KindUpdateReq(ValueList<Opaque> Kinds) : ConfigUpdateReq
{
    public override byte Type => KindType;

    private protected override void WriteSelected(WireWriter w)
    {
        w.BeginVector("kinds", 3, isList: true);
        for (int i = 0; i < Kinds.Count; i++)
            w.Vector(FieldPaths.Element(i), 2, Kinds[i].Span);
        w.EndVector();
    }
}

/// <summary>A ConfigUpdateType this codec does not know ("may be extended with new types"), kept byte for byte.</summary>
public sealed record UnknownConfigUpdateReq(byte UnknownType, Opaque Value) : ConfigUpdateReq
{
    public override byte Type => UnknownType;
    private protected override void WriteSelected(WireWriter w) => w.Bytes("value", Value.Span);
}
