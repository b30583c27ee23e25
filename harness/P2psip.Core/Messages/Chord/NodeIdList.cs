using P2psip.Wire;

namespace P2psip.Messages.Chord;

/// <summary>
/// <c>NodeId name&lt;0..2^16-1&gt;</c>: a length-prefixed list of fixed-size Node-IDs (§6.3.1.1), as
/// CHORD-RELOAD's neighbour and finger lists are (§10.7, §10.9). The byte length must be a whole
/// number of Node-IDs of the overlay's length.
/// </summary>
internal static class NodeIdList
{
    internal static void Write(WireWriter w, string name, ValueList<Opaque> nodeIds)
    {
        w.BeginVector(name, 2, isList: true);
        for (int i = 0; i < nodeIds.Count; i++)
            w.Bytes(FieldPaths.Element(i), nodeIds[i].Span);
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, string name, string rfc, out ValueList<Opaque> nodeIds)
    {
        nodeIds = ValueList<Opaque>.Empty;
        if (!r.Enter(name, 2, rfc, out var saved)) return false;
        if (!r.FixedList(name, r.Options.NodeIdLength, rfc, out nodeIds)) return false;
        return r.Leave(name, saved, rfc);
    }
}
