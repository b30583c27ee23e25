using P2psip.Wire;

namespace P2psip.Peer;

/// <summary>A peer's routing state at one moment, for <c>overlay status</c>, reports and test oracles.</summary>
public sealed record RoutingSnapshot(
    Opaque NodeId,
    PeerState State,
    IReadOnlyList<Opaque> Predecessors,
    IReadOnlyList<Opaque> Successors,
    IReadOnlyList<Opaque> Fingers,
    IReadOnlyList<Opaque> Connections,
    string Defences)
{
    public override string ToString() =>
        $"{NodeId.ToHex()} {State}: pred [{string.Join(", ", Predecessors.Select(p => p.ToHex()))}] " +
        $"succ [{string.Join(", ", Successors.Select(p => p.ToHex()))}] {Fingers.Count} fingers, {Connections.Count} links; {Defences}";
}
