namespace P2psip.Conformance;

/// <summary>Which way a message went, seen from the harness.</summary>
public enum EvidenceDirection
{
    /// <summary>The harness sent it to the SUT.</summary>
    Sent,
    /// <summary>The harness received it from the SUT.</summary>
    Received,
}

/// <summary>
/// One message of a case's evidence: when, which way, over which harness party's link, the bytes
/// as they crossed, and a one-line decoding (or the decoder's reason when they do not decode).
/// </summary>
public sealed record EvidenceMessage(
    DateTimeOffset Time,
    EvidenceDirection Direction,
    string Party,
    byte[] Bytes,
    string Summary);
