using System.Collections.Concurrent;
using System.Security.Cryptography;
using P2psip.Messages.Security;

namespace P2psip.Security;

/// <summary>
/// Certificates known outside any message (from the certificate Kinds, §8, or from links), found by
/// the hash a SignerIdentity carries (§6.3.4).
/// </summary>
public sealed class CertificateStore
{
    private readonly ConcurrentDictionary<string, ReloadCertificate> _byHash = new(StringComparer.Ordinal);

    public void Add(ReloadCertificate certificate) => _byHash[Convert.ToHexStringLower(certificate.Hash)] = certificate;

    public int Count => _byHash.Count;

    public IEnumerable<ReloadCertificate> All => _byHash.Values;

    /// <summary>Finds the certificate a SignerIdentity names among <paramref name="candidates"/>, returning the signing Node-ID too for cert_hash_node_id.</summary>
    public static ReloadCertificate? Find(SignerIdentity identity, IEnumerable<ReloadCertificate> candidates, out byte[]? signingNodeId)
    {
        signingNodeId = null;
        if (identity.HashAlgorithm != SignatureAndHashAlgorithm.HashSha256) return null;
        foreach (var c in candidates)
        {
            switch (identity.IdentityType)
            {
                case SignerIdentity.CertHash when identity.Hash.Span.SequenceEqual(c.Hash):
                    return c;
                case SignerIdentity.CertHashNodeId:
                    foreach (var id in c.NodeIds)
                        if (identity.Hash.Span.SequenceEqual(MessageSigner.NodeIdHash(id.Span, c.Der)))
                        {
                            signingNodeId = id.ToArray();
                            return c;
                        }
                    break;
            }
        }
        return null;
    }

    internal static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);
}
