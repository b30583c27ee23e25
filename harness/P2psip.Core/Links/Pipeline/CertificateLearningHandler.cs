using P2psip.Security;

namespace P2psip.Links;

/// <summary>
/// Hands each link's authenticated remote certificate (§6.6.1, §13.3) to <paramref name="learn"/>
/// when put on the link, before its first message, so messages signed with it can be checked.
/// Passes every message unchanged.
/// </summary>
public sealed class CertificateLearningHandler(Action<ReloadCertificate> learn) : ILinkHandler
{
    public void Attached(LinkContext context)
    {
        if (context.Link.RemoteCertificate is { } certificate) learn(certificate);
    }

    public ValueTask HandleAsync(LinkMessage message, LinkContext context) => context.ForwardAsync(message);
}
