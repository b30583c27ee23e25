using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>
/// An ICE extension attribute of a candidate (§6.5.1.1):
/// <code>
///   struct {
///     opaque                name&lt;0..2^16-1&gt;;
///     opaque                value&lt;0..2^16-1&gt;;
///   } IceExtension;
/// </code>
/// </summary>
public sealed record IceExtension(Opaque Name, Opaque Value)
{
    internal const string Rfc = "6.5.1.1";

    internal void Write(WireWriter w)
    {
        w.Vector("name", 2, Name.Span);
        w.Vector("value", 2, Value.Span);
    }

    internal static bool TryRead(ref WireReader r, out IceExtension value)
    {
        value = null!;
        if (!r.Vector("name", 2, Rfc, out var name) || !r.Vector("value", 2, Rfc, out var extensionValue)) return false;
        value = new IceExtension(name, extensionValue);
        return true;
    }
}
