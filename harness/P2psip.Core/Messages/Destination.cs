using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// An entry of a Via or Destination list (§6.3.2.2):
/// <code>
///   enum { invalidDestinationType(0), node(1), resource(2), opaque_id_type(3), (255) } DestinationType;
///   struct { DestinationType type; uint8 length; DestinationData destination_data; } Destination;
///   struct { uint16 opaque_id; /* Top bit MUST be 1 */ } Destination;
/// </code>
/// </summary>
public abstract record Destination
{
    internal const string Rfc = "6.3.2.2";

    public const byte NodeType = 1, ResourceType = 2, OpaqueIdType = 3;

    public static string? TypeName(ulong t) => t switch
    {
        0 => "invalidDestinationType", 1 => "node", 2 => "resource", 3 => "opaque_id_type", _ => null,
    };

    internal abstract void Write(WireWriter w);

    internal static bool TryRead(ref WireReader r, out Destination value)
    {
        value = null!;
        if (!TryReadParts(ref r, out var type, out var payload)) return false;
        value = type switch
        {
            >= 0x80 => new CompressedDestination((ushort)(type << 8 | payload.Span[0])),
            NodeType => new NodeDestination(payload),
            ResourceType => new ResourceDestination(payload),
            OpaqueIdType => new OpaqueIdDestination(payload),
            _ => new UnknownDestination(type, payload),
        };
        return true;
    }

    /// <summary>
    /// Reads one Destination into its type and payload without allocating; for the compressed
    /// form the type is the first byte and the payload the second. Shared by the decoder and by
    /// <see cref="ForwardingHeaderView"/>.
    /// </summary>
    internal static bool TryReadParts(ref WireReader r, out byte type, out Opaque payload)
    {
        payload = default;
        int at = r.Position;
        if (!r.U8("type", Rfc, out type)) return false;
        if ((type & 0x80) != 0)
        {
            // The 16-bit compressed form: "the first bit MUST be set to 1" (§6.3.2.2).
            return r.Bytes("opaque_id", 1, Rfc, out payload);
        }
        if (type == 0) return r.Reject("type", at, "the value 0 is invalidDestinationType", Rfc);
        int lengthAt = r.Position;
        if (!r.U8("length", Rfc, out var length)) return false;
        if (!r.Narrow("destination_data", lengthAt, length, Rfc, out var saved)) return false;
        switch (type)
        {
            case NodeType:
                if (length != r.Options.NodeIdLength)
                    return r.Reject("destination_data", lengthAt, $"a Node-ID is {r.Options.NodeIdLength} bytes in this overlay, length says {length}", "6.3.1.1");
                r.NodeId("node_id", Rfc, out payload);
                break;
            case ResourceType:
                if (!r.Vector("resource_id", 1, Rfc, out payload)) return r.Nest("destination_data");
                break;
            case OpaqueIdType:
                if (!r.Vector("opaque_id", 1, Rfc, out payload)) return r.Nest("destination_data");
                break;
            default:
                // "This structure may be extended with new types": keep unknown types whole.
                payload = r.Rest();
                break;
        }
        return r.Leave("destination_data", saved, Rfc);
    }

    internal static bool TryReadElement(ref WireReader r, out Destination value) => TryRead(ref r, out value);
}

/// <summary>A Node-ID destination (type node).</summary>
public sealed record NodeDestination(Opaque NodeId) : Destination
{
    internal override void Write(WireWriter w)
    {
        w.U8("type", NodeType, FieldKind.Enum, TypeName);
        var length = w.Reserve("length", 1);
        w.Begin("destination_data");
        w.Bytes("node_id", NodeId.Span);
        w.Fill(length, w.End());
    }
    public override string ToString() => $"node {NodeId}";
}

/// <summary>A Resource-ID destination (type resource); only last in a Destination List.</summary>
public sealed record ResourceDestination(Opaque ResourceId) : Destination
{
    internal override void Write(WireWriter w)
    {
        w.U8("type", ResourceType, FieldKind.Enum, TypeName);
        var length = w.Reserve("length", 1);
        w.Begin("destination_data");
        w.Vector("resource_id", 1, ResourceId.Span);
        w.Fill(length, w.End());
    }
    public override string ToString() => $"resource {ResourceId}";
}

/// <summary>An opaque id in TLV form (type opaque_id_type).</summary>
public sealed record OpaqueIdDestination(Opaque Id) : Destination
{
    internal override void Write(WireWriter w)
    {
        w.U8("type", OpaqueIdType, FieldKind.Enum, TypeName);
        var length = w.Reserve("length", 1);
        w.Begin("destination_data");
        w.Vector("opaque_id", 1, Id.Span);
        w.Fill(length, w.End());
    }
    public override string ToString() => $"opaque {Id}";
}

/// <summary>The 16-bit compressed opaque id; the top bit is always set on the wire.</summary>
public sealed record CompressedDestination(ushort Id) : Destination
{
    internal override void Write(WireWriter w) => w.U16("compressed_id", (ushort)(Id | 0x8000));
    public override string ToString() => $"compressed 0x{Id | 0x8000:x4}";
}

/// <summary>A destination type this codec does not know (4..127), kept so it can be forwarded.</summary>
public sealed record UnknownDestination(byte Type, Opaque Data) : Destination
{
    internal override void Write(WireWriter w)
    {
        w.U8("type", Type, FieldKind.Enum, TypeName);
        var length = w.Reserve("length", 1);
        w.Bytes("destination_data", Data.Span);
        w.Fill(length, Data.Length);
    }
    public override string ToString() => $"type {Type} {Data}";
}
