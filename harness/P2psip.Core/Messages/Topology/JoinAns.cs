using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of join_ans (§6.4.2.1):
/// <code>
///   struct {
///      opaque                overlay_specific_data&lt;0..2^16-1&gt;;
///   } JoinAns;
/// </code>
/// CHORD-RELOAD defines nothing for it (§10.5), so the data stays opaque.
/// </summary>
public sealed record JoinAns(Opaque OverlaySpecificData) : MessageBody
{
    internal const string Rfc = "6.4.2.1";

    public override ushort Code => MessageCodes.JoinAns;

    internal override void WriteFields(WireWriter w) => w.Vector("overlay_specific_data", 2, OverlaySpecificData.Span);

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Vector("overlay_specific_data", 2, Rfc, out var data)) return false;
        value = new JoinAns(data);
        return true;
    }
}
