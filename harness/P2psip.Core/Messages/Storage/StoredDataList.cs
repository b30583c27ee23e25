using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// <c>StoredData values&lt;0..2^32-1&gt;</c>, shared by StoreKindData (§7.4.1.1) and
/// FetchKindResponse (§7.4.2.2); every element is read with the data model of the enclosing Kind.
/// </summary>
internal static class StoredDataList
{
    internal static void Write(WireWriter w, string name, ValueList<StoredData> values)
    {
        w.BeginVector(name, 4, isList: true);
        foreach (var value in values)
        {
            w.BeginElement();
            value.Write(w);
            w.End();
        }
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, string name, DataModel? model, string rfc, out ValueList<StoredData> values)
    {
        values = ValueList<StoredData>.Empty;
        return r.Enter(name, 4, rfc, out var saved)
            && r.List(name, rfc, StoredData.ElementReader(model), out values)
            && r.Leave(name, saved, rfc);
    }
}
