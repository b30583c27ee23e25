using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Conformance.Running;

/// <summary>
/// A value the harness stores on the SUT at the start of a run and fetches back after every case
/// (issue 13, liveness probe): a SIP registration of the lab's "canary" user, so a SUT that lost
/// or corrupted its storage is told apart from one that merely answers Pings.
/// </summary>
public sealed class Canary
{
    public Canary(CertificationLab lab)
    {
        Identity = lab.Issue("canary");
        Aor = SipUsage.AorOf("canary@" + lab.OverlayName);
        Contact = $"sip:canary@127.0.0.1:5060";
        ResourceId = SipUsage.ResourceIdOf(Aor);
    }

    public Identity Identity { get; }
    public string Aor { get; }
    public string Contact { get; }
    public Opaque ResourceId { get; }

    /// <summary>Whether the store at the start of the run succeeded; if not, liveness is Ping only.</summary>
    public bool Stored { get; set; }

    public StoreReq Store() => SipUsage.Register(Identity, Aor, Contact, DateTimeOffset.UtcNow, 86_400);

    public FetchReq Fetch() => SipUsage.Lookup(Aor);

    /// <summary>Whether a FetchAns still holds the canary's contact under its Node-ID.</summary>
    public bool IsIn(MessageBody body) =>
        body is FetchAns answer && SipUsage.ContactsIn(answer, Aor).Any(c => c.NodeId == Identity.NodeId && c.Uri == Contact);
}
