using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>The body of app_attach_ans (§6.5.2.2): "The meaning of the fields is the same as in the AppAttachReq."</summary>
public sealed record AppAttachAns(Opaque Ufrag, Opaque Password, ushort Application, Opaque Role, ValueList<IceCandidate> Candidates)
    : AppAttachReqAns(Ufrag, Password, Application, Role, Candidates)
{
    public override ushort Code => MessageCodes.AppAttachAns;

    internal static bool TryRead(ref WireReader r, out MessageBody value) => TryRead(MessageCodes.AppAttachAns, ref r, out value);
}
