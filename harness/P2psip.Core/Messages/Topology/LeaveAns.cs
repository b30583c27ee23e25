using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of leave_ans: "LeaveAns is an empty message" (§6.4.2.2). Bytes in it are left over.
/// </summary>
public sealed record LeaveAns : MessageBody
{
    public override ushort Code => MessageCodes.LeaveAns;

    internal override void WriteFields(WireWriter w) { }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = new LeaveAns();
        return true;
    }
}
