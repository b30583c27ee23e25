using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// One Kind's answer in a FindAns (§7.4.4.2): the closest Resource-ID the peer holds of that Kind,
/// 0 if none is known.
/// <code>  struct { KindId kind; ResourceId closest; } FindKindData;</code>
/// </summary>
public sealed record FindKindData(uint Kind, Opaque Closest)
{
    internal const string Rfc = "7.4.4.2";

    internal void Write(WireWriter w)
    {
        w.U32("kind", Kind, FieldKind.Code, KindRegistry.KindName);
        w.Vector("closest", 1, Closest.Span);
    }

    internal static bool TryRead(ref WireReader r, out FindKindData value)
    {
        value = null!;
        if (!r.U32("kind", Rfc, out var kind) || !r.Vector("closest", 1, Rfc, out var closest)) return false;
        value = new FindKindData(kind, closest);
        return true;
    }
}
