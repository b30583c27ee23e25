using P2psip.Wire;

namespace P2psip.Messages.Security;

/// <summary>
/// (§6.3.4; CertificateType from RFC 6091: x509(0), openpgp(1))
/// <code>  struct { CertificateType type; opaque certificate&lt;0..2^16-1&gt;; } GenericCertificate;</code>
/// </summary>
public sealed record GenericCertificate(byte Type, Opaque Certificate)
{
    public const byte X509 = 0;

    public static GenericCertificate OfX509(Opaque der) => new(X509, der);

    public static string? TypeName(ulong t) => t switch { 0 => "X.509", 1 => "OpenPGP", _ => null };

    internal void Write(WireWriter w)
    {
        w.U8("type", Type, FieldKind.Enum, TypeName);
        w.Vector("certificate", 2, Certificate.Span);
    }

    internal static bool TryRead(ref WireReader r, out GenericCertificate value)
    {
        value = null!;
        if (!r.U8("type", Signatures.Rfc, out var type) || !r.Vector("certificate", 2, Signatures.Rfc, out var certificate)) return false;
        value = new GenericCertificate(type, certificate);
        return true;
    }
}
