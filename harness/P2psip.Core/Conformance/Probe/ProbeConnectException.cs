namespace P2psip.Conformance.Probe;

/// <summary>Why a probe could not open a link to the SUT: what the case observed, not a harness fault.</summary>
public enum ProbeConnectFailure
{
    /// <summary>Nothing listens there (TCP RST to the SYN, ICMP port unreachable).</summary>
    Refused,
    /// <summary>The TLS/DTLS handshake was aborted by the SUT, or the harness refused the SUT's certificate.</summary>
    HandshakeRefused,
    /// <summary>No answer before the deadline.</summary>
    Timeout,
}

/// <summary>A probe link that did not come up, and why.</summary>
public sealed class ProbeConnectException(ProbeConnectFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ProbeConnectFailure Failure { get; } = failure;
}
