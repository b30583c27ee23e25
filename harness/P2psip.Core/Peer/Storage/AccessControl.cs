using System.Buffers.Binary;
using P2psip.Messages.Storage;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// The access-control policies of §7.3, checked for one signer of one value. "Signer" is the signer
/// of the StoredData and, for original stores, also of the StoreReq: both must conform (§7.3).
/// The overlay's hash is CHORD-RELOAD's (SHA-1 truncated to 128 bits, §10.2).
/// </summary>
public static class AccessControl
{
    /// <summary>
    /// The Resource-ID a user name owns for <paramref name="kind"/>: H(user name) (§7.3.1), except for
    /// SIP-REGISTRATION, whose Resource Name is the AOR with its scheme, "sip:" + user name, the form
    /// <see cref="OverlayHash.SipAorResourceId"/> hashes (§13.5.1's example "sip:alice@dht.example.com").
    /// </summary>
    public static Opaque UserResourceId(uint kind, string userName) =>
        kind == KindRegistry.SipRegistration ? OverlayHash.SipAorResourceId(SipUsage.AorOf(userName)) : OverlayHash.ResourceId(userName);

    /// <summary>H(Node-ID || i) of NODE-MULTIPLE (§7.3.4), i as a 4-byte big-endian integer.</summary>
    public static Opaque NodeMultipleResourceId(Opaque nodeId, uint i)
    {
        var name = new byte[nodeId.Length + 4];
        nodeId.Span.CopyTo(name);
        BinaryPrimitives.WriteUInt32BigEndian(name.AsSpan(nodeId.Length), i);
        return OverlayHash.ResourceId(name);
    }

    /// <summary>Null when <paramref name="signer"/> (signing as <paramref name="signerNodeId"/>) may write <paramref name="value"/>; otherwise why not.</summary>
    public static string? Check(StorageKind kind, Opaque resourceId, StoredDataValue value, ReloadCertificate signer, Opaque signerNodeId)
    {
        bool nodeIdIsSigners = signer.NodeIds.Contains(signerNodeId);
        switch (kind.Policy)
        {
            case AccessPolicy.UserMatch:
                return UserMatches(kind, resourceId, signer);
            case AccessPolicy.NodeMatch:
                if (!nodeIdIsSigners) return $"Node-ID {signerNodeId.ToHex()} is not in the signer's certificate";
                return OverlayHash.ResourceId(signerNodeId.Span) == resourceId ? null
                    : $"NODE-MATCH: H(Node-ID {signerNodeId.ToHex()}) is not Resource-ID {resourceId.ToHex()} (§7.3.2)";
            case AccessPolicy.UserNodeMatch:
                if (kind.Model != DataModel.Dictionary || value is not DictionaryEntry entry)
                    return "USER-NODE-MATCH may be used only with dictionary values (§7.3.3)";
                if (UserMatches(kind, resourceId, signer) is { } userProblem) return userProblem;
                if (!nodeIdIsSigners) return $"Node-ID {signerNodeId.ToHex()} is not in the signer's certificate";
                return entry.Key == signerNodeId ? null
                    : $"USER-NODE-MATCH: dictionary key {entry.Key.ToHex()} is not the signer's Node-ID {signerNodeId.ToHex()} (§7.3.3)";
            case AccessPolicy.NodeMultiple:
                if (!nodeIdIsSigners) return $"Node-ID {signerNodeId.ToHex()} is not in the signer's certificate";
                for (uint i = 1; i <= (uint)Math.Max(0, kind.MaxNodeMultiple); i++)
                    if (NodeMultipleResourceId(signerNodeId, i) == resourceId) return null;
                return $"NODE-MULTIPLE: no i in 1..{kind.MaxNodeMultiple} with H(Node-ID || i) = Resource-ID (§7.3.4)";
            default:
                return "the Kind's access-control policy is not one this peer implements, so nobody may write it (§7.3)";
        }
    }

    private static string? UserMatches(StorageKind kind, Opaque resourceId, ReloadCertificate signer)
    {
        if (signer.UserName is not { } user) return "the signer's certificate carries no single user name";
        return UserResourceId(kind.Id, user) == resourceId ? null
            : $"the user name {user} does not hash to Resource-ID {resourceId.ToHex()} (§7.3.1)";
    }
}
