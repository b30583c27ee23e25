using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>The body of attach_req: an <see cref="AttachReqAns"/> from the offerer, whose role "MUST be passive" (§6.5.1.1).</summary>
public sealed record AttachReq(Opaque Ufrag, Opaque Password, Opaque Role, ValueList<IceCandidate> Candidates, bool SendUpdate)
    : AttachReqAns(Ufrag, Password, Role, Candidates, SendUpdate)
{
    public override ushort Code => MessageCodes.AttachReq;

    internal static bool TryRead(ref WireReader r, out MessageBody value) => TryRead(MessageCodes.AttachReq, ref r, out value);
}
