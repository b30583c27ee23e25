using P2psip.Messages.Storage;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// The certificate store usage (§8): a node appends its certificate to CERTIFICATE_BY_USER at
/// H(user name) (USER-MATCH) and to CERTIFICATE_BY_NODE at H(Node-ID) for each of its Node-IDs
/// (NODE-MATCH, "not at its Node-ID"); others fetch them to verify signatures by certificates that
/// did not travel in the message.
/// </summary>
public static class CertificateUsage
{
    /// <summary>The Stores that publish <paramref name="identity"/>'s certificate: one by user, one per Node-ID.</summary>
    public static IReadOnlyList<StoreReq> Publish(Identity identity, DateTimeOffset storageTime, uint lifetimeSeconds)
    {
        var requests = new List<StoreReq>();
        ulong time = (ulong)storageTime.ToUnixTimeMilliseconds();
        var entry = StoredCertificate.Of(identity.Certificate.Certificate).ToAppendEntry();
        if (identity.UserName is { } user)
        {
            var byUser = AccessControl.UserResourceId(KindRegistry.CertificateByUser, user);
            var data = MessageSigner.SignStoredData(identity, byUser, KindRegistry.CertificateByUser, new StoredData(time, lifetimeSeconds, entry, null));
            requests.Add(new StoreReq(byUser, 0, [new StoreKindData(KindRegistry.CertificateByUser, 0, [data])]));
        }
        foreach (var nodeId in identity.NodeIds)
        {
            var byNode = OverlayHash.CertificateByNodeResourceId(nodeId);
            // NODE-MATCH wants the Node-ID "indicated in the SignerIdentity" (§7.3.2): sign as that Node-ID.
            var data = MessageSigner.SignStoredData(identity, byNode, KindRegistry.CertificateByNode, new StoredData(time, lifetimeSeconds, entry, null), nodeId);
            requests.Add(new StoreReq(byNode, 0, [new StoreKindData(KindRegistry.CertificateByNode, 0, [data])]));
        }
        return requests;
    }

    /// <summary>A Fetch of every certificate stored for a user name.</summary>
    public static FetchReq LookupByUser(string userName) =>
        new(AccessControl.UserResourceId(KindRegistry.CertificateByUser, userName), [new StoredDataSpecifier(KindRegistry.CertificateByUser, 0, new ArraySpecifier([ArrayRange.All]))]);

    /// <summary>A Fetch of every certificate stored for a Node-ID.</summary>
    public static FetchReq LookupByNode(Opaque nodeId) =>
        new(OverlayHash.CertificateByNodeResourceId(nodeId), [new StoredDataSpecifier(KindRegistry.CertificateByNode, 0, new ArraySpecifier([ArrayRange.All]))]);

    /// <summary>
    /// The certificates in a FetchAns of either Kind whose value parses and whose StoredData signature
    /// verifies with the certificate itself at <paramref name="resourceId"/> (a stored certificate vouches for its own storer).
    /// </summary>
    public static IReadOnlyList<ReloadCertificate> CertificatesIn(FetchAns answer, Opaque resourceId)
    {
        var found = new List<ReloadCertificate>();
        foreach (var response in answer.KindResponses.Where(r => r.Kind is KindRegistry.CertificateByUser or KindRegistry.CertificateByNode))
            foreach (var data in response.Values)
            {
                if (data.Value is not ArrayEntry { Value.Exists: true } entry) continue;
                var certificates = MessageSigner.ParseAll([entry.Value.Value]);
                if (certificates.Count == 1 && MessageSigner.VerifyStoredData(resourceId, response.Kind, data, certificates).Valid) found.Add(certificates[0]);
            }
        return found;
    }
}
