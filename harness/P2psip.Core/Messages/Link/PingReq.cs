using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>
/// The body of ping_req (§6.5.3.1):
/// <code>
///   struct {
///     opaque&lt;0..2^16-1&gt; padding;
///   } PingReq;
/// </code>
/// Padding carries no meaning; it lets a sender probe the overlay's maximum message size.
/// </summary>
public sealed record PingReq(Opaque Padding) : MessageBody
{
    internal const string Rfc = "6.5.3.1";

    public override ushort Code => MessageCodes.PingReq;

    internal override void WriteFields(WireWriter w) => w.Vector("padding", 2, Padding.Span);

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Vector("padding", 2, Rfc, out var padding)) return false;
        value = new PingReq(padding);
        return true;
    }
}
