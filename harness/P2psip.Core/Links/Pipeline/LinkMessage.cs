namespace P2psip.Links;

/// <summary>One whole RELOAD message crossing a link's pipeline, and which way it goes.</summary>
public readonly record struct LinkMessage(LinkDirection Direction, ReadOnlyMemory<byte> Bytes)
{
    public static LinkMessage Outbound(ReadOnlyMemory<byte> bytes) => new(LinkDirection.Outbound, bytes);
    public static LinkMessage Inbound(ReadOnlyMemory<byte> bytes) => new(LinkDirection.Inbound, bytes);
}
