using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of update_ans. "The UpdateAns response is expected to be either success or an error"
/// (§6.4.2.3): neither the base protocol nor CHORD-RELOAD gives it a structure, so whatever bytes
/// a topology puts there are kept whole (empty in CHORD-RELOAD).
/// </summary>
public sealed record UpdateAns(Opaque OverlaySpecificData) : MessageBody
{
    public override ushort Code => MessageCodes.UpdateAns;

    internal override void WriteFields(WireWriter w) => w.Bytes("overlay_specific_data", OverlaySpecificData.Span);

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = new UpdateAns(r.Rest());
        return true;
    }
}
