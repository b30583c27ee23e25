using P2psip.Messages.Chord;
using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of update_req. "The contents of the UpdateReq message are completely overlay specific"
/// (§6.4.2.3); in CHORD-RELOAD they are one <see cref="ChordUpdate"/> (§10.7), whose fields are the
/// body's fields.
/// </summary>
public sealed record UpdateReq(ChordUpdate Update) : MessageBody
{
    public override ushort Code => MessageCodes.UpdateReq;

    internal override void WriteFields(WireWriter w) => Update.Write(w);

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!ChordUpdate.TryRead(ref r, out var update)) return false;
        value = new UpdateReq(update);
        return true;
    }
}
