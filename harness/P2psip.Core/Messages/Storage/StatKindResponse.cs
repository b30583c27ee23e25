using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// One Kind's metadata in a StatAns (§7.4.3.2):
/// <code>
///   struct { KindId kind; uint64 generation; StoredMetaData values&lt;0..2^32-1&gt;; } StatKindResponse;
/// </code>
/// </summary>
public sealed record StatKindResponse(uint Kind, ulong Generation, ValueList<StoredMetaData> Values)
{
    internal const string Rfc = "7.4.3.2";

    internal void Write(WireWriter w)
    {
        w.U32("kind", Kind, FieldKind.Code, KindRegistry.KindName);
        w.U64("generation", Generation);
        w.BeginVector("values", 4, isList: true);
        foreach (var value in Values)
        {
            w.BeginElement();
            value.Write(w);
            w.End();
        }
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out StatKindResponse value)
    {
        value = null!;
        if (!r.U32("kind", Rfc, out var kind) || !r.U64("generation", Rfc, out var generation)) return false;
        if (!r.Enter("values", 4, Rfc, out var saved)
            || !r.List("values", Rfc, StoredMetaData.ElementReader(KindRegistry.ModelOf(r.Options, kind)), out var values)
            || !r.Leave("values", saved, Rfc))
            return false;
        value = new StatKindResponse(kind, generation, values);
        return true;
    }
}
