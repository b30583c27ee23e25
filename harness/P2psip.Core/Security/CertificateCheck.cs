namespace P2psip.Security;

/// <summary>The outcome of checking a peer's certificate: accepted with its RELOAD reading, or refused with the reason in words.</summary>
public sealed record CertificateCheck(ReloadCertificate? Certificate, string? Refusal)
{
    public bool Accepted => Refusal is null;
    public static CertificateCheck Accept(ReloadCertificate c) => new(c, null);
    public static CertificateCheck Refuse(string reason, ReloadCertificate? c = null) => new(c, reason);
    public override string ToString() => Accepted ? $"accepted: {Certificate}" : $"refused: {Refusal}";
}
