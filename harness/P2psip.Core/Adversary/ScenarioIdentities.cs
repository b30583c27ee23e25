using System.Security.Cryptography;
using System.Text;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// Makes the keys and certificates of a scenario's identities: read from their PEM files (relative
/// to <paramref name="baseDirectory"/>), or minted — issued by the lab CA (an overlay directory's
/// <see cref="EnrollmentAuthority"/>, so the overlay trusts them), by a throwaway foreign CA, or
/// self-signed; expired when asked. Node-IDs not given are derived from the seed and the name
/// (SHA-256), so a run with the same seed has the same identities' Node-IDs.
/// </summary>
public static class ScenarioIdentities
{
    public static IReadOnlyDictionary<string, Identity> Resolve(Scenario scenario, EnrollmentAuthority? lab, ulong seed, string? baseDirectory = null)
    {
        var result = new Dictionary<string, Identity>(StringComparer.Ordinal);
        EnrollmentAuthority? foreign = null;
        foreach (var spec in scenario.Identities)
        {
            if (spec.FromFiles)
            {
                var dir = baseDirectory ?? ".";
                result[spec.Name] = new Identity(
                    PemFiles.ReadKeyPair(Path.Combine(dir, spec.KeyFile ?? throw new ArgumentException($"identity {spec.Name}: a key file is needed with a certificate file"))),
                    PemFiles.ReadCertificate(Path.Combine(dir, spec.CertificateFile ?? throw new ArgumentException($"identity {spec.Name}: a certificate file is needed with a key file"))));
                continue;
            }
            int length = lab?.NodeIdLength ?? 16;
            var nodeIds = spec.NodeIds.Count > 0 ? spec.NodeIds.Select(n => n.ToArray()).ToList() : [DerivedNodeId(seed, spec.Name, length)];
            var overlay = lab?.Overlay ?? "lab.overlay";
            var user = spec.User ?? $"{spec.Name}@{overlay}";
            var now = DateTime.UtcNow;
            var (notBefore, notAfter) = spec.Expired ? (now.AddDays(-30), now.AddDays(-1)) : (now.AddMinutes(-5), now.AddDays(1));
            var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
            switch (spec.Issuer)
            {
                case IdentityIssuer.Lab:
                    if (lab is null) throw new ArgumentException($"identity {spec.Name}: minting it needs the lab's CA (--lab)");
                    result[spec.Name] = new Identity(keys, lab.Issue(keys.Public, user, nodeIds, notBefore, notAfter));
                    break;
                case IdentityIssuer.Foreign:
                    foreign ??= EnrollmentAuthority.Create(overlay, length);
                    result[spec.Name] = new Identity(keys, foreign.Issue(keys.Public, user, nodeIds, notBefore, notAfter));
                    break;
                default:
                    // Signed with its own key (UN-1b), carrying the Node-IDs like an enrolled one.
                    var self = EnrollmentAuthority.Create(overlay, length);
                    result[spec.Name] = new Identity(self.Keys, self.Issue(self.Keys.Public, user, nodeIds, notBefore, notAfter));
                    break;
            }
        }
        return result;
    }

    /// <summary>SHA-256(seed ‖ name), cut to the overlay's Node-ID length.</summary>
    public static byte[] DerivedNodeId(ulong seed, string name, int length)
    {
        var input = new byte[8 + Encoding.UTF8.GetByteCount(name)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(input, seed);
        Encoding.UTF8.GetBytes(name, input.AsSpan(8));
        return SHA256.HashData(input)[..length];
    }
}
