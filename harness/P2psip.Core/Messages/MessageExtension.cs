using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// (§6.3.3)
/// <code>  struct { MessageExtensionType type; Boolean critical; opaque extension_contents&lt;0..2^32-1&gt;; } MessageExtension;</code>
/// </summary>
public sealed record MessageExtension(ushort Type, bool Critical, Opaque Contents)
{
    internal const string Rfc = "6.3.3";

    internal void Write(WireWriter w)
    {
        w.U16("type", Type, FieldKind.Enum, static t => t == 0 ? "invalidMessageExtensionType" : null);
        w.Boolean("critical", Critical);
        w.Vector("extension_contents", 4, Contents.Span);
    }

    internal static bool TryRead(ref WireReader r, out MessageExtension value)
    {
        value = null!;
        int at = r.Position;
        if (!r.U16("type", Rfc, out var type)) return false;
        if (type == 0) return r.Reject("type", at, "the value 0 is invalidMessageExtensionType", Rfc);
        if (!r.Boolean("critical", Rfc, out var critical)) return false;
        if (!r.Vector("extension_contents", 4, Rfc, out var contents)) return false;
        value = new MessageExtension(type, critical, contents);
        return true;
    }
}
