using P2psip.Wire;

namespace P2psip.Messages.Chord;

/// <summary>
/// CHORD-RELOAD's RouteQueryAns (§10.8), the whole body of a RouteQueryAns in this topology (§6.4.2.4.2):
/// <code>
///   struct {
///      NodeId                  next_peer;
///   } ChordRouteQueryAns;
/// </code>
/// </summary>
public sealed record ChordRouteQueryAns(Opaque NextPeer)
{
    internal const string Rfc = "10.8";

    internal void Write(WireWriter w) => w.Bytes("next_peer", NextPeer.Span);

    internal static bool TryRead(ref WireReader r, out ChordRouteQueryAns value)
    {
        value = null!;
        if (!r.NodeId("next_peer", Rfc, out var nextPeer)) return false;
        value = new ChordRouteQueryAns(nextPeer);
        return true;
    }
}
