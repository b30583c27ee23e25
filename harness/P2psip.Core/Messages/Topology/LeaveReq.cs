using P2psip.Messages.Chord;
using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of leave_req (§6.4.2.2):
/// <code>
///   struct {
///      NodeId                leaving_peer_id;
///      opaque                overlay_specific_data&lt;0..2^16-1&gt;;
///   } LeaveReq;
/// </code>
/// In CHORD-RELOAD overlay_specific_data "MUST contain the ChordLeaveData structure" (§10.9), so it
/// is decoded as one, and must hold exactly one.
/// </summary>
public sealed record LeaveReq(Opaque LeavingPeerId, ChordLeaveData OverlaySpecificData) : MessageBody
{
    internal const string Rfc = "6.4.2.2";

    public override ushort Code => MessageCodes.LeaveReq;

    internal override void WriteFields(WireWriter w)
    {
        w.Bytes("leaving_peer_id", LeavingPeerId.Span);
        w.BeginVector("overlay_specific_data", 2);
        OverlaySpecificData.Write(w);
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.NodeId("leaving_peer_id", Rfc, out var leavingPeerId)) return false;
        if (!r.Enter("overlay_specific_data", 2, Rfc, out var saved)) return false;
        if (!ChordLeaveData.TryRead(ref r, out var data)) return r.Nest("overlay_specific_data");
        if (!r.Leave("overlay_specific_data", saved, ChordLeaveData.Rfc)) return false;
        value = new LeaveReq(leavingPeerId, data);
        return true;
    }
}
