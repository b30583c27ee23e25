using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The values of one Kind in a Store (§7.4.1.1):
/// <code>
///   struct { KindId kind; uint64 generation_counter; StoredData values&lt;0..2^32-1&gt;; } StoreKindData;
/// </code>
/// </summary>
public sealed record StoreKindData(uint Kind, ulong GenerationCounter, ValueList<StoredData> Values)
{
    internal const string Rfc = "7.4.1.1";

    internal void Write(WireWriter w)
    {
        w.U32("kind", Kind, FieldKind.Code, KindRegistry.KindName);
        w.U64("generation_counter", GenerationCounter);
        StoredDataList.Write(w, "values", Values);
    }

    internal static bool TryRead(ref WireReader r, out StoreKindData value)
    {
        value = null!;
        if (!r.U32("kind", Rfc, out var kind) || !r.U64("generation_counter", Rfc, out var generation)) return false;
        if (!StoredDataList.TryRead(ref r, "values", KindRegistry.ModelOf(r.Options, kind), Rfc, out var values)) return false;
        value = new StoreKindData(kind, generation, values);
        return true;
    }
}
