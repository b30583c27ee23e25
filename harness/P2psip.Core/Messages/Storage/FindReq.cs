using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The body of find_req (§7.4.4.1):
/// <code>  struct { ResourceId resource; KindId kinds&lt;0..2^8-1&gt;; } FindReq;</code>
/// That each Kind-ID appears once is a rule for the responding peer, not for the codec.
/// </summary>
public sealed record FindReq(Opaque Resource, ValueList<uint> Kinds) : MessageBody
{
    internal const string Rfc = "7.4.4.1";

    public override ushort Code => MessageCodes.FindReq;

    internal override void WriteFields(WireWriter w)
    {
        w.Vector("resource", 1, Resource.Span);
        w.BeginVector("kinds", 1, isList: true);
        for (int i = 0; i < Kinds.Count; i++) w.U32(FieldPaths.Element(i), Kinds[i], FieldKind.Code, KindRegistry.KindName);
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Vector("resource", 1, Rfc, out var resource)) return false;
        if (!r.Enter("kinds", 1, Rfc, out var saved)) return false;
        // KindId is a uint32 (§6.5.4.1): the list must hold a whole number of them.
        if (r.Remaining % 4 != 0)
            return r.Reject("kinds", r.Position, $"list length {r.Remaining} is not a whole number of 4-byte Kind-IDs", Rfc);
        var kinds = new uint[r.Remaining / 4];
        for (int i = 0; i < kinds.Length; i++) r.U32(FieldPaths.Element(i), Rfc, out kinds[i]);
        if (!r.Leave("kinds", saved, Rfc)) return false;
        value = new FindReq(resource, kinds.Length == 0 ? ValueList<uint>.Empty : new ValueList<uint>(kinds));
        return true;
    }
}
