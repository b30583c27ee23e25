using P2psip.Links;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// One reassembled message as a link pipeline hands it to the engine: its bytes, which way it
/// goes, the Node-IDs at both ends of the link, its position (0, 1, 2... in the order the pipeline
/// saw messages, which is what makes random draws repeatable) and the run time it was seen at (a
/// clock the caller owns: virtual time in the simulator).
/// </summary>
public sealed record AdversaryMessage(byte[] Bytes, LinkDirection Direction, long Position)
{
    public Opaque LocalNodeId { get; init; }
    public Opaque RemoteNodeId { get; init; }
    public TimeSpan Time { get; init; }
    /// <summary>The decoded message when the caller already has it; otherwise the engine decodes <see cref="Bytes"/>.</summary>
    public ReloadMessage? Decoded { get; init; }
}
