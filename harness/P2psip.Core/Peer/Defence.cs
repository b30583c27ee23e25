namespace P2psip.Peer;

/// <summary>
/// One defence of the reference peer: a stable name used on the command line and in reports, the
/// threat IDs of THREATS.md it answers, the RFC 6940 clause it comes from, and what it does.
/// </summary>
public sealed record Defence(string Name, string Threats, string RfcSection, string Description)
{
    public override string ToString() => $"{Name} ({Threats}; RFC 6940 §{RfcSection}): {Description}";
}
