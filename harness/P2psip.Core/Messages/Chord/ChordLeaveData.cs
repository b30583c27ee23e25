using P2psip.Wire;

namespace P2psip.Messages.Chord;

/// <summary>
/// What a CHORD-RELOAD LeaveReq's overlay_specific_data MUST contain (§10.9):
/// <code>
///   enum { invalidChordLeaveType(0), from_succ(1), from_pred(2), (255) } ChordLeaveType;
///   struct {
///     ChordLeaveType         type;
///      select (type) {
///        case from_succ:
///          NodeId            successors&lt;0..2^16-1&gt;;
///        case from_pred:
///          NodeId           predecessors&lt;0..2^16-1&gt;;
///      };
///   } ChordLeaveData;
/// </code>
/// Both cases carry one Node-ID list; <see cref="NodeIds"/> is <c>successors</c> for from_succ and
/// <c>predecessors</c> for from_pred. An unknown type is an error: the select names no extension.
/// </summary>
public sealed record ChordLeaveData(byte Type, ValueList<Opaque> NodeIds)
{
    internal const string Rfc = "10.9";

    public const byte FromSuccType = 1, FromPredType = 2;

    /// <summary>Sent by a successor of the recipient, with the leaver's successors.</summary>
    public static ChordLeaveData FromSucc(ValueList<Opaque> successors) => new(FromSuccType, successors);

    /// <summary>Sent by a predecessor of the recipient, with the leaver's predecessors.</summary>
    public static ChordLeaveData FromPred(ValueList<Opaque> predecessors) => new(FromPredType, predecessors);

    public static string? TypeName(ulong t) => t switch
    {
        0 => "invalidChordLeaveType", 1 => "from_succ", 2 => "from_pred", _ => null,
    };

    /// <summary>The RFC's name of the list this type selects.</summary>
    private static string ListName(byte type) => type == FromSuccType ? "successors" : "predecessors";

    internal void Write(WireWriter w)
    {
        w.U8("type", Type, FieldKind.Enum, TypeName);
        NodeIdList.Write(w, ListName(Type), NodeIds);
    }

    internal static bool TryRead(ref WireReader r, out ChordLeaveData value)
    {
        value = null!;
        int typeAt = r.Position;
        if (!r.Enum8NonZero("type", Rfc, out var type)) return false;
        if (type is not (FromSuccType or FromPredType))
            return r.Reject("type", typeAt, $"{type} is not a ChordLeaveType (the select has no case for it)", Rfc);
        if (!NodeIdList.TryRead(ref r, ListName(type), Rfc, out var nodeIds)) return false;
        value = new ChordLeaveData(type, nodeIds);
        return true;
    }
}
