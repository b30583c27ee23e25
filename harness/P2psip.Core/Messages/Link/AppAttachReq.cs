using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>The body of app_attach_req (§6.5.2.1): ICE parameters for an application connection.</summary>
public sealed record AppAttachReq(Opaque Ufrag, Opaque Password, ushort Application, Opaque Role, ValueList<IceCandidate> Candidates)
    : AppAttachReqAns(Ufrag, Password, Application, Role, Candidates)
{
    public override ushort Code => MessageCodes.AppAttachReq;

    internal static bool TryRead(ref WireReader r, out MessageBody value) => TryRead(MessageCodes.AppAttachReq, ref r, out value);
}
