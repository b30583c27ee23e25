using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary.Proxy;

/// <summary>Mints the certificate the proxy presents for a Node-ID, as its <see cref="ProxyPresentation"/> says.</summary>
internal sealed class ProxyIdentities(EnrollmentAuthority lab, ProxyPresentation presentation)
{
    private readonly Lazy<EnrollmentAuthority> _foreign = new(() => EnrollmentAuthority.Create(lab.Overlay, lab.NodeIdLength));

    public Identity For(Opaque nodeId)
    {
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var now = DateTime.UtcNow;
        var user = $"proxy@{lab.Overlay}";
        byte[] id = nodeId.IsEmpty ? System.Security.Cryptography.RandomNumberGenerator.GetBytes(lab.NodeIdLength) : nodeId.ToArray();
        switch (presentation)
        {
            case ProxyPresentation.OtherNodeId:
                return new Identity(keys, lab.Issue(keys.Public, user, [System.Security.Cryptography.RandomNumberGenerator.GetBytes(lab.NodeIdLength)], now.AddMinutes(-5), now.AddDays(1)));
            case ProxyPresentation.ForeignCa:
                return new Identity(keys, _foreign.Value.Issue(keys.Public, user, [id], now.AddMinutes(-5), now.AddDays(1)));
            case ProxyPresentation.SelfSigned:
                var self = EnrollmentAuthority.Create(lab.Overlay, lab.NodeIdLength);
                return new Identity(self.Keys, self.Issue(self.Keys.Public, user, [id], now.AddMinutes(-5), now.AddDays(1)));
            case ProxyPresentation.Expired:
                return new Identity(keys, lab.Issue(keys.Public, user, [id], now.AddDays(-30), now.AddDays(-1)));
            default:
                return new Identity(keys, lab.Issue(keys.Public, user, [id], now.AddMinutes(-5), now.AddDays(1)));
        }
    }
}
