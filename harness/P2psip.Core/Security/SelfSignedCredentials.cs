using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using P2psip.Wire;

namespace P2psip.Security;

/// <summary>
/// Self-generated credentials (§11.3.1), for overlays whose configuration sets self-signed-permitted:
/// a certificate signed by its own key whose one Node-ID is the self-signed-digest ("sha1" or
/// "sha256") of the key's subjectPublicKeyInfo, cut to the Node-ID length (the high-order bytes).
/// </summary>
public static class SelfSignedCredentials
{
    /// <summary>
    /// The Node-ID §11.3.1 derives from a public key; with <paramref name="index"/> (1, 2, ... for a
    /// certificate with several Node-IDs) the index goes first as a 4-byte big-endian integer.
    /// </summary>
    public static Opaque NodeIdOf(AsymmetricKeyParameter publicKey, string digest, int nodeIdLength = 16, uint? index = null)
    {
        byte[] spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded();
        if (index is { } n)
        {
            var prefixed = new byte[4 + spki.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prefixed, n);
            spki.CopyTo(prefixed, 4);
            spki = prefixed;
        }
        byte[] hash = digest.Equals("sha256", StringComparison.OrdinalIgnoreCase) ? SHA256.HashData(spki)
            : digest.Equals("sha1", StringComparison.OrdinalIgnoreCase) ? SHA1.HashData(spki)
            : throw new ArgumentException($"self-signed-digest '{digest}' is neither sha1 nor sha256 (§11.1)", nameof(digest));
        if (nodeIdLength > hash.Length) throw new ArgumentOutOfRangeException(nameof(nodeIdLength), $"a {digest} digest has only {hash.Length} bytes");
        return hash.AsSpan(0, nodeIdLength).ToArray();
    }

    /// <summary>
    /// A self-signed identity for <paramref name="userName"/> in <paramref name="overlay"/>. The Node-ID
    /// is derived from the key unless <paramref name="claimedNodeId"/> says otherwise (a Node-ID thief,
    /// whom a peer must refuse).
    /// </summary>
    public static Identity Create(AsymmetricCipherKeyPair keys, string userName, string overlay, string digest = "sha1",
        Opaque? claimedNodeId = null, int nodeIdLength = 16, TimeSpan? validity = null)
    {
        var nodeId = claimedNodeId ?? NodeIdOf(keys.Public, digest, nodeIdLength);
        var name = new X509Name($"CN=self-signed RELOAD node of {overlay}");
        var now = DateTime.UtcNow;
        X509Certificate certificate = EnrollmentAuthority.Build(keys.Public, userName, [nodeId.ToArray()], overlay, name, name, keys.Private,
            now.AddMinutes(-5), now + (validity ?? TimeSpan.FromDays(365)));
        return new Identity(keys, certificate);
    }
}
