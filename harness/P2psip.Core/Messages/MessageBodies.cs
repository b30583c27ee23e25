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
            case MessageCodes.ProbeReq: return Topology.ProbeReq.TryRead(ref r, out body);
            case MessageCodes.ProbeAns: return Topology.ProbeAns.TryRead(ref r, out body);
            case MessageCodes.AttachReq: return Link.AttachReq.TryRead(ref r, out body);
            case MessageCodes.AttachAns: return Link.AttachAns.TryRead(ref r, out body);
            case MessageCodes.JoinReq: return Topology.JoinReq.TryRead(ref r, out body);
            case MessageCodes.JoinAns: return Topology.JoinAns.TryRead(ref r, out body);
            case MessageCodes.LeaveReq: return Topology.LeaveReq.TryRead(ref r, out body);
            case MessageCodes.LeaveAns: return Topology.LeaveAns.TryRead(ref r, out body);
            case MessageCodes.UpdateReq: return Topology.UpdateReq.TryRead(ref r, out body);
            case MessageCodes.UpdateAns: return Topology.UpdateAns.TryRead(ref r, out body);
            case MessageCodes.RouteQueryReq: return Topology.RouteQueryReq.TryRead(ref r, out body);
            case MessageCodes.RouteQueryAns: return Topology.RouteQueryAns.TryRead(ref r, out body);
            case MessageCodes.PingReq: return Link.PingReq.TryRead(ref r, out body);
            case MessageCodes.PingAns: return Link.PingAns.TryRead(ref r, out body);
            case MessageCodes.AppAttachReq: return Link.AppAttachReq.TryRead(ref r, out body);
            case MessageCodes.AppAttachAns: return Link.AppAttachAns.TryRead(ref r, out body);
            case MessageCodes.ConfigUpdateReq: return Link.ConfigUpdateReq.TryRead(ref r, out body);
            case MessageCodes.ConfigUpdateAns: return Link.ConfigUpdateAns.TryRead(ref r, out body);
            case MessageCodes.StoreReq: return Storage.StoreReq.TryRead(ref r, out body);
            case MessageCodes.StoreAns: return Storage.StoreAns.TryRead(ref r, out body);
            case MessageCodes.FetchReq: return Storage.FetchReq.TryRead(ref r, out body);
            case MessageCodes.FetchAns: return Storage.FetchAns.TryRead(ref r, out body);
            case MessageCodes.StatReq: return Storage.StatReq.TryRead(ref r, out body);
            case MessageCodes.StatAns: return Storage.StatAns.TryRead(ref r, out body);
            case MessageCodes.FindReq: return Storage.FindReq.TryRead(ref r, out body);
            case MessageCodes.FindAns: return Storage.FindAns.TryRead(ref r, out body);
            default:
                body = new OpaqueBody(code, r.Rest());
                return true;
        }
    }
}
