namespace P2psip.Conformance;

/// <summary>How the harness reaches the system under test (§6.6 overlay link protocols, and the plaintext deviations).</summary>
public enum SutTransport
{
    /// <summary>TLS-TCP-FH-NO-ICE (§6.6.5).</summary>
    Tls,
    /// <summary>DTLS-UDP-SR-NO-ICE (§6.6.3).</summary>
    Dtls,
    /// <summary>Framed RELOAD over plain TCP: a deviation (TR-1a) some third-party peers have.</summary>
    InsecureTcp,
    /// <summary>Bare RELOAD messages over plain TCP, no framing header (draft-era peers).</summary>
    InsecureTcpUnframed,
}

public static class SutTransportNames
{
    public static string Word(this SutTransport transport) => transport switch
    {
        SutTransport.Tls => "tls",
        SutTransport.Dtls => "dtls",
        SutTransport.InsecureTcp => "insecure-tcp",
        SutTransport.InsecureTcpUnframed => "insecure-tcp-unframed",
        _ => throw new ArgumentOutOfRangeException(nameof(transport)),
    };

    public static SutTransport? Parse(string word) =>
        Enum.GetValues<SutTransport>().Cast<SutTransport?>().FirstOrDefault(t => t!.Value.Word() == word);

    public static bool IsSecure(this SutTransport transport) => transport is SutTransport.Tls or SutTransport.Dtls;
}
