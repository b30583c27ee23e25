using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>
/// The ICE parameters an Attach request and its answer both carry (§6.5.1.1, §6.5.1.2):
/// <code>
///   struct {
///     opaque                ufrag&lt;0..2^8-1&gt;;
///     opaque                password&lt;0..2^8-1&gt;;
///     opaque                role&lt;0..2^8-1&gt;;
///     IceCandidate          candidates&lt;0..2^16-1&gt;;
///     Boolean               send_update;
///   } AttachReqAns;
/// </code>
/// <see cref="AttachReq"/> and <see cref="AttachAns"/> are the two bodies; they differ only in message_code.
/// </summary>
public abstract record AttachReqAns(Opaque Ufrag, Opaque Password, Opaque Role, ValueList<IceCandidate> Candidates, bool SendUpdate)
    : MessageBody
{
    internal const string Rfc = "6.5.1.1";

    internal override void WriteFields(WireWriter w)
    {
        w.Vector("ufrag", 1, Ufrag.Span);
        w.Vector("password", 1, Password.Span);
        w.Vector("role", 1, Role.Span);
        IceCandidate.WriteList(w, Candidates);
        w.Boolean("send_update", SendUpdate);
    }

    /// <summary>Reads the shared layout and makes the body for <paramref name="code"/>.</summary>
    private protected static bool TryRead(ushort code, ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Vector("ufrag", 1, Rfc, out var ufrag)
            || !r.Vector("password", 1, Rfc, out var password)
            || !r.Vector("role", 1, Rfc, out var role)
            || !IceCandidate.TryReadList(ref r, Rfc, out var candidates)
            || !r.Boolean("send_update", Rfc, out var sendUpdate))
            return false;
        value = code == MessageCodes.AttachAns
            ? new AttachAns(ufrag, password, role, candidates, sendUpdate)
            : new AttachReq(ufrag, password, role, candidates, sendUpdate);
        return true;
    }
}
