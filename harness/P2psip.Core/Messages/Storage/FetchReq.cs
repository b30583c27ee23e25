using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The body of fetch_req (§7.4.2.1):
/// <code>  struct { ResourceId resource; StoredDataSpecifier specifiers&lt;0..2^16-1&gt;; } FetchReq;</code>
/// </summary>
public sealed record FetchReq(Opaque Resource, ValueList<StoredDataSpecifier> Specifiers) : MessageBody
{
    internal const string Rfc = "7.4.2.1";

    public override ushort Code => MessageCodes.FetchReq;

    internal override void WriteFields(WireWriter w)
    {
        w.Vector("resource", 1, Resource.Span);
        StoredDataSpecifier.WriteList(w, Specifiers);
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Vector("resource", 1, Rfc, out var resource)
            || !StoredDataSpecifier.TryReadList(ref r, Rfc, out var specifiers))
            return false;
        value = new FetchReq(resource, specifiers);
        return true;
    }
}
