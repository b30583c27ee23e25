using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>
/// The body of ping_ans (§6.5.3.2):
/// <code>
///   struct {
///     uint64                 response_id;
///     uint64                 time;
///   } PingAns;
/// </code>
/// time is in milliseconds since the Unix epoch, as storage_time is (§7).
/// </summary>
public sealed record PingAns(ulong ResponseId, ulong Time) : MessageBody
{
    internal const string Rfc = "6.5.3.2";

    public override ushort Code => MessageCodes.PingAns;

    internal override void WriteFields(WireWriter w)
    {
        w.U64("response_id", ResponseId);
        w.U64("time", Time);
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.U64("response_id", Rfc, out var responseId) || !r.U64("time", Rfc, out var time)) return false;
        value = new PingAns(responseId, time);
        return true;
    }
}
