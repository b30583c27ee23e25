using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>Chooses the body decoder by message_code (§6.3.3, codes in §14.8).</summary>
internal static class MessageBodies
{
    /// <summary>Decodes the body inside message_body's window; the caller checks nothing is left over.</summary>
    internal static bool TryRead(ushort code, ref WireReader r, out MessageBody body)
    {
        switch (code)
        {
            case MessageCodes.Error: return ErrorResponse.TryRead(ref r, out body);
            case MessageCodes.ProbeReq: return ProbeReq.TryRead(ref r, out body);
            case MessageCodes.ProbeAns: return ProbeAns.TryRead(ref r, out body);
            case MessageCodes.AttachReq: return AttachReq.TryRead(ref r, out body);
            case MessageCodes.AttachAns: return AttachAns.TryRead(ref r, out body);
            case MessageCodes.JoinReq: return JoinReq.TryRead(ref r, out body);
            case MessageCodes.JoinAns: return JoinAns.TryRead(ref r, out body);
            case MessageCodes.LeaveReq: return LeaveReq.TryRead(ref r, out body);
            case MessageCodes.LeaveAns: return LeaveAns.TryRead(ref r, out body);
            case MessageCodes.UpdateReq: return UpdateReq.TryRead(ref r, out body);
            case MessageCodes.UpdateAns: return UpdateAns.TryRead(ref r, out body);
            case MessageCodes.RouteQueryReq: return RouteQueryReq.TryRead(ref r, out body);
            case MessageCodes.RouteQueryAns: return RouteQueryAns.TryRead(ref r, out body);
            case MessageCodes.PingReq: return PingReq.TryRead(ref r, out body);
            case MessageCodes.PingAns: return PingAns.TryRead(ref r, out body);
            case MessageCodes.AppAttachReq: return AppAttachReq.TryRead(ref r, out body);
            case MessageCodes.AppAttachAns: return AppAttachAns.TryRead(ref r, out body);
            case MessageCodes.ConfigUpdateReq: return ConfigUpdateReq.TryRead(ref r, out body);
            case MessageCodes.ConfigUpdateAns: return ConfigUpdateAns.TryRead(ref r, out body);
            default:
                body = new OpaqueBody(code, r.Rest());
                return true;
        }
    }
}
