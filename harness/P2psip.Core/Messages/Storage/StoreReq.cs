using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The body of store_req (§7.4.1.1):
/// <code>
///   struct { ResourceId resource; uint8 replica_number; StoreKindData kind_data&lt;0..2^32-1&gt;; } StoreReq;
/// </code>
/// replica_number is 0 for a node's own data, 1.. for replicas (§7.4.1.1, §10.4).
/// </summary>
public sealed record StoreReq(Opaque Resource, byte ReplicaNumber, ValueList<StoreKindData> KindData) : MessageBody
{
    internal const string Rfc = "7.4.1.1";

    public override ushort Code => MessageCodes.StoreReq;

    internal override void WriteFields(WireWriter w)
    {
        w.Vector("resource", 1, Resource.Span);
        w.U8("replica_number", ReplicaNumber);
        w.BeginVector("kind_data", 4, isList: true);
        foreach (var kindData in KindData)
        {
            w.BeginElement();
            kindData.Write(w);
            w.End();
        }
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Vector("resource", 1, Rfc, out var resource) || !r.U8("replica_number", Rfc, out var replica)) return false;
        if (!r.Enter("kind_data", 4, Rfc, out var saved)
            || !r.List<StoreKindData>("kind_data", Rfc, StoreKindData.TryRead, out var kindData)
            || !r.Leave("kind_data", saved, Rfc))
            return false;
        value = new StoreReq(resource, replica, kindData);
        return true;
    }
}
