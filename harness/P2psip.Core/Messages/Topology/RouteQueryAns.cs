using P2psip.Messages.Chord;
using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of route_query_ans. "This message is completely overlay specific" (§6.4.2.4.2); in
/// CHORD-RELOAD it is one <see cref="ChordRouteQueryAns"/> (§10.8), whose field is the body's field.
/// </summary>
public sealed record RouteQueryAns(ChordRouteQueryAns Answer) : MessageBody
{
    public override ushort Code => MessageCodes.RouteQueryAns;

    internal override void WriteFields(WireWriter w) => Answer.Write(w);

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!ChordRouteQueryAns.TryRead(ref r, out var answer)) return false;
        value = new RouteQueryAns(answer);
        return true;
    }
}
