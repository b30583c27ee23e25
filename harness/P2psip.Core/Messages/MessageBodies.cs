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
