using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>The body of attach_ans: an <see cref="AttachReqAns"/> from the answerer, whose role "MUST be active" (§6.5.1.1, §6.5.1.2).</summary>
public sealed record AttachAns(Opaque Ufrag, Opaque Password, Opaque Role, ValueList<IceCandidate> Candidates, bool SendUpdate)
    : AttachReqAns(Ufrag, Password, Role, Candidates, SendUpdate)
{
    public override ushort Code => MessageCodes.AttachAns;

    internal static bool TryRead(ref WireReader r, out MessageBody value) => TryRead(MessageCodes.AttachAns, ref r, out value);
}
