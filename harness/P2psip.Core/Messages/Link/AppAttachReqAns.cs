using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>
/// The layout AppAttachReq (§6.5.2.1) and AppAttachAns (§6.5.2.2) share, field for field:
/// <code>
///   struct {
///     opaque                  ufrag&lt;0..2^8-1&gt;;
///     opaque                  password&lt;0..2^8-1&gt;;
///     uint16                  application;
///     opaque                  role&lt;0..2^8-1&gt;;
///     IceCandidate            candidates&lt;0..2^16-1&gt;;
///   } AppAttachReq;   /* and AppAttachAns */
/// </code>
/// application is an Application-ID (§14.5), whose value 0 is registered as INVALID.
/// </summary>
public abstract record AppAttachReqAns(Opaque Ufrag, Opaque Password, ushort Application, Opaque Role, ValueList<IceCandidate> Candidates)
    : MessageBody
{
    internal const string Rfc = "6.5.2.1";

    public const ushort SipApplication = 5060, SipsApplication = 5061;

    public static string? ApplicationName(ulong id) => id switch
    {
        0 => "INVALID", 5060 or 5061 => "SIP", 65535 => "Reserved", _ => null,
    };

    internal override void WriteFields(WireWriter w)
    {
        w.Vector("ufrag", 1, Ufrag.Span);
        w.Vector("password", 1, Password.Span);
        w.U16("application", Application, FieldKind.Code, ApplicationName);
        w.Vector("role", 1, Role.Span);
        IceCandidate.WriteList(w, Candidates);
    }

    /// <summary>Reads the shared layout and makes the body for <paramref name="code"/>.</summary>
    private protected static bool TryRead(ushort code, ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Vector("ufrag", 1, Rfc, out var ufrag) || !r.Vector("password", 1, Rfc, out var password)) return false;
        int applicationAt = r.Position;
        if (!r.U16("application", Rfc, out var application)) return false;
        if (application == 0) return r.Reject("application", applicationAt, "the Application-ID 0 is INVALID", "14.5");
        if (!r.Vector("role", 1, Rfc, out var role) || !IceCandidate.TryReadList(ref r, Rfc, out var candidates)) return false;
        value = code == MessageCodes.AppAttachAns
            ? new AppAttachAns(ufrag, password, application, role, candidates)
            : new AppAttachReq(ufrag, password, application, role, candidates);
        return true;
    }
}
