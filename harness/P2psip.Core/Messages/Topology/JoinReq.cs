using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of join_req (§6.4.2.1):
/// <code>
///   struct {
///      NodeId                joining_peer_id;
///      opaque                overlay_specific_data&lt;0..2^16-1&gt;;
///   } JoinReq;
/// </code>
/// CHORD-RELOAD defines no data of its own for a join (§10.5), so overlay_specific_data stays opaque.
/// </summary>
public sealed record JoinReq(Opaque JoiningPeerId, Opaque OverlaySpecificData) : MessageBody
{
    internal const string Rfc = "6.4.2.1";

    public override ushort Code => MessageCodes.JoinReq;

    internal override void WriteFields(WireWriter w)
    {
        w.Bytes("joining_peer_id", JoiningPeerId.Span);
        w.Vector("overlay_specific_data", 2, OverlaySpecificData.Span);
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.NodeId("joining_peer_id", Rfc, out var joiningPeerId)) return false;
        if (!r.Vector("overlay_specific_data", 2, Rfc, out var data)) return false;
        value = new JoinReq(joiningPeerId, data);
        return true;
    }
}
