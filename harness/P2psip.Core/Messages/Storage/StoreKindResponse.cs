using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// One Kind's outcome in a StoreAns (§7.4.1.2):
/// <code>
///   struct { KindId kind; uint64 generation_counter; NodeId replicas&lt;0..2^16-1&gt;; } StoreKindResponse;
/// </code>
/// </summary>
public sealed record StoreKindResponse(uint Kind, ulong GenerationCounter, ValueList<Opaque> Replicas)
{
    internal const string Rfc = "7.4.1.2";

    internal void Write(WireWriter w)
    {
        w.U32("kind", Kind, FieldKind.Code, KindRegistry.KindName);
        w.U64("generation_counter", GenerationCounter);
        w.BeginVector("replicas", 2, isList: true);
        for (int i = 0; i < Replicas.Count; i++) w.Bytes(FieldPaths.Element(i), Replicas[i].Span);
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out StoreKindResponse value)
    {
        value = null!;
        if (!r.U32("kind", Rfc, out var kind) || !r.U64("generation_counter", Rfc, out var generation)) return false;
        // Node-IDs are NodeIdLength bytes each (§6.3.1.1): a list length that is not a whole number of them is an error.
        if (!r.Enter("replicas", 2, Rfc, out var saved)
            || !r.FixedList("replicas", r.Options.NodeIdLength, "6.3.1.1", out var replicas)
            || !r.Leave("replicas", saved, Rfc))
            return false;
        value = new StoreKindResponse(kind, generation, replicas);
        return true;
    }
}
