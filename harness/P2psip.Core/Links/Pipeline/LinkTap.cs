namespace P2psip.Links;

/// <summary>Which way a message crosses a link, seen from the link's own end.</summary>
public enum LinkDirection
{
    Outbound,
    Inbound,
}

/// <summary>
/// A hook on a link that sees each message in each direction (for capture and the adversary): it
/// returns the bytes to pass on — the same array, or other bytes — or null to drop the message.
/// (Arrays rather than memory, so that returning null cannot turn into an empty message.)
/// </summary>
public delegate byte[]? LinkTap(LinkDirection direction, byte[] message);
