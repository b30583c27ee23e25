using P2psip.Wire;

namespace P2psip.Messages.Security;

/// <summary>
/// The third part of a message (§6.3.4):
/// <code>  struct { GenericCertificate certificates&lt;0..2^16-1&gt;; Signature signature; } SecurityBlock;</code>
/// </summary>
public sealed record SecurityBlock(ValueList<GenericCertificate> Certificates, Signature Signature)
{
    public static SecurityBlock Unsigned { get; } = new(ValueList<GenericCertificate>.Empty, Signature.Unsigned);

    internal void Write(WireWriter w)
    {
        w.Begin("security_block");
        w.BeginVector("certificates", 2, isList: true);
        foreach (var certificate in Certificates)
        {
            w.BeginElement();
            certificate.Write(w);
            w.End();
        }
        w.EndVector();
        Signature.Write(w);
        w.End();
    }

    internal static bool TryRead(ref WireReader r, out SecurityBlock value)
    {
        const string Rfc = Signatures.Rfc;
        value = null!;
        if (!r.Enter("certificates", 2, Rfc, out var saved)
            || !r.List<GenericCertificate>("certificates", Rfc, GenericCertificate.TryRead, out var certificates)
            || !r.Leave("certificates", saved, Rfc)
            || !Signature.TryRead(ref r, out var signature))
            return r.Nest("security_block");
        value = certificates.Count == 0 && ReferenceEquals(signature, Signature.Unsigned) ? Unsigned : new SecurityBlock(certificates, signature);
        return true;
    }
}
