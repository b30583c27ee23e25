using P2psip.Wire;

namespace P2psip.Messages.Chord;

/// <summary>
/// CHORD-RELOAD's Update (§10.7), the whole body of an UpdateReq in this topology (§6.4.2.3):
/// <code>
///   enum { invalidChordUpdateType(0), peer_ready(1), neighbors(2), full(3), (255) } ChordUpdateType;
///   struct {
///      uint32                 uptime;
///      ChordUpdateType        type;
///      select (type){
///       case peer_ready:                   /* Empty */
///         ;
///       case neighbors:
///         NodeId              predecessors&lt;0..2^16-1&gt;;
///         NodeId              successors&lt;0..2^16-1&gt;;
///       case full:
///         NodeId              predecessors&lt;0..2^16-1&gt;;
///         NodeId              successors&lt;0..2^16-1&gt;;
///         NodeId              fingers&lt;0..2^16-1&gt;;
///     };
///   } ChordUpdate;
/// </code>
/// One record per case, so a model can only hold the lists its type carries. The select names no
/// extension, so an unknown type is an error: its layout cannot be known.
/// </summary>
public abstract record ChordUpdate(uint Uptime)
{
    internal const string Rfc = "10.7";

    public const byte PeerReadyType = 1, NeighborsType = 2, FullType = 3;

    /// <summary>The ChordUpdateType written for this case.</summary>
    public abstract byte Type { get; }

    public static string? TypeName(ulong t) => t switch
    {
        0 => "invalidChordUpdateType", 1 => "peer_ready", 2 => "neighbors", 3 => "full", _ => null,
    };

    internal void Write(WireWriter w)
    {
        w.U32("uptime", Uptime);
        w.U8("type", Type, FieldKind.Enum, TypeName);
        WriteSelected(w);
    }

    private protected abstract void WriteSelected(WireWriter w);

    internal static bool TryRead(ref WireReader r, out ChordUpdate value)
    {
        value = null!;
        if (!r.U32("uptime", Rfc, out var uptime)) return false;
        int typeAt = r.Position;
        if (!r.Enum8NonZero("type", Rfc, out var type)) return false;
        ValueList<Opaque> predecessors, successors, fingers;
        switch (type)
        {
            case PeerReadyType:
                value = new PeerReadyUpdate(uptime);
                return true;
            case NeighborsType:
                if (!NodeIdList.TryRead(ref r, "predecessors", Rfc, out predecessors)
                    || !NodeIdList.TryRead(ref r, "successors", Rfc, out successors))
                    return false;
                value = new NeighborsUpdate(uptime, predecessors, successors);
                return true;
            case FullType:
                if (!NodeIdList.TryRead(ref r, "predecessors", Rfc, out predecessors)
                    || !NodeIdList.TryRead(ref r, "successors", Rfc, out successors)
                    || !NodeIdList.TryRead(ref r, "fingers", Rfc, out fingers))
                    return false;
                value = new FullUpdate(uptime, predecessors, successors, fingers);
                return true;
            default:
                return r.Reject("type", typeAt, $"{type} is not a ChordUpdateType (the select has no case for it)", Rfc);
        }
    }
}

/// <summary>peer_ready: the sender can now be routed through; no lists (§10.7).</summary>
public sealed record PeerReadyUpdate(uint Uptime) : ChordUpdate(Uptime)
{
    public override byte Type => PeerReadyType;
    private protected override void WriteSelected(WireWriter w) { }
}

/// <summary>neighbors: the sender's neighbour set, sent to members of its Neighbor Table (§10.7).</summary>
public sealed record NeighborsUpdate(uint Uptime, ValueList<Opaque> Predecessors, ValueList<Opaque> Successors) : ChordUpdate(Uptime)
{
    public override byte Type => NeighborsType;

    private protected override void WriteSelected(WireWriter w)
    {
        NodeIdList.Write(w, "predecessors", Predecessors);
        NodeIdList.Write(w, "successors", Successors);
    }
}

/// <summary>full: neighbours and the Finger Table (ascending), sent on RouteQueryReq's send_update (§10.7).</summary>
public sealed record FullUpdate(uint Uptime, ValueList<Opaque> Predecessors, ValueList<Opaque> Successors, ValueList<Opaque> Fingers) : ChordUpdate(Uptime)
{
    public override byte Type => FullType;

    private protected override void WriteSelected(WireWriter w)
    {
        NodeIdList.Write(w, "predecessors", Predecessors);
        NodeIdList.Write(w, "successors", Successors);
        NodeIdList.Write(w, "fingers", Fingers);
    }
}
