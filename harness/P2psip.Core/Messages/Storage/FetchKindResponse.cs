using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// One Kind's values in a FetchAns (§7.4.2.2); a value the peer does not have comes back as
/// exists = False with an empty signature (algorithm {0, 0}, identity none).
/// <code>
///   struct { KindId kind; uint64 generation; StoredData values&lt;0..2^32-1&gt;; } FetchKindResponse;
/// </code>
/// </summary>
public sealed record FetchKindResponse(uint Kind, ulong Generation, ValueList<StoredData> Values)
{
    internal const string Rfc = "7.4.2.2";

    internal void Write(WireWriter w)
    {
        w.U32("kind", Kind, FieldKind.Code, KindRegistry.KindName);
        w.U64("generation", Generation);
        StoredDataList.Write(w, "values", Values);
    }

    internal static bool TryRead(ref WireReader r, out FetchKindResponse value)
    {
        value = null!;
        if (!r.U32("kind", Rfc, out var kind) || !r.U64("generation", Rfc, out var generation)) return false;
        if (!StoredDataList.TryRead(ref r, "values", KindRegistry.ModelOf(r.Options, kind), Rfc, out var values)) return false;
        value = new FetchKindResponse(kind, generation, values);
        return true;
    }
}
