using P2psip.Conformance;
using P2psip.Security;

namespace P2psip.NetFuzz;

/// <summary>
/// The harness parties a session speaks as: enrolled identities of the lab, each on its own link
/// (the SUT checks a message's signer is its link's Node-ID, §6.3.4, §13.6.3). Issued first, so
/// their Node-IDs come from the seed alone.
/// </summary>
public sealed class FuzzParties
{
    public static readonly string[] Names = ["fuzz-a", "fuzz-b", "fuzz-c"];

    public FuzzParties(CertificationLab lab)
    {
        Identities = Names.Select(n => lab.Issue(n)).ToArray();
    }

    public IReadOnlyList<Identity> Identities { get; }

    public int Count => Identities.Count;
}
