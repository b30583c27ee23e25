namespace P2psip.Messages.Link;

/// <summary>
/// <code>
///   enum { invalidCandType(0), host(1), srflx(2), /* RESERVED(3), */ relay(4), (255) } CandType;
/// </code>
/// (§6.5.1.1). IceCandidate's select depends on it and names no extension, so only these three are valid.
/// </summary>
public static class CandType
{
    public const byte Host = 1, Srflx = 2, Relay = 4;

    public static string? Name(ulong t) => t switch
    {
        0 => "invalidCandType", 1 => "host", 2 => "srflx", 3 => "RESERVED", 4 => "relay", _ => null,
    };

    /// <summary>srflx and relay carry rel_addr_port; host carries nothing.</summary>
    public static bool HasRelatedAddress(byte t) => t is Srflx or Relay;
}
