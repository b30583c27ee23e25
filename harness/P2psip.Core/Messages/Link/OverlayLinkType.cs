namespace P2psip.Messages.Link;

/// <summary>
/// <code>
///   enum { invalidOverlayLinkType(0), DTLS-UDP-SR(1), DTLS-UDP-SR-NO-ICE(3), TLS-TCP-FH-NO-ICE(4), (255) } OverlayLinkType;
/// </code>
/// (§6.5.1.1). New values come from the IANA registry (§14.10), so unknown non-zero values are kept.
/// </summary>
public static class OverlayLinkType
{
    public const byte DtlsUdpSr = 1, DtlsUdpSrNoIce = 3, TlsTcpFhNoIce = 4, ExpLink = 5;

    public static string? Name(ulong t) => t switch
    {
        0 => "invalidOverlayLinkType", 1 => "DTLS-UDP-SR", 3 => "DTLS-UDP-SR-NO-ICE", 4 => "TLS-TCP-FH-NO-ICE", 5 => "EXP-LINK", _ => null,
    };
}
