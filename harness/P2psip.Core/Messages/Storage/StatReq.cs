using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The body of stat_req (§7.4.3.1), "identical to the Fetch request":
/// <code>  struct { ResourceId resource; StoredDataSpecifier specifiers&lt;0..2^16-1&gt;; } StatReq;</code>
/// </summary>
public sealed record StatReq(Opaque Resource, ValueList<StoredDataSpecifier> Specifiers) : MessageBody
{
    internal const string Rfc = "7.4.3.1";

    public override ushort Code => MessageCodes.StatReq;

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
        value = new StatReq(resource, specifiers);
        return true;
    }
}
