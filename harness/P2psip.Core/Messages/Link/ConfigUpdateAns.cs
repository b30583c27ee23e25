using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>
/// The body of config_update_ans (§6.5.4.2): <c>struct { } ConfigUpdateAns;</c> — empty; bytes in it are left over.
/// </summary>
public sealed record ConfigUpdateAns : MessageBody
{
    public override ushort Code => MessageCodes.ConfigUpdateAns;

    internal override void WriteFields(WireWriter w) { }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = new ConfigUpdateAns();
        return true;
    }
}
