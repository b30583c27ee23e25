using P2psip.Wire;

namespace P2psip.Messages.Security;

/// <summary>
/// (§6.3.4) Used on messages and on StoredData (§7.1).
/// <code>
///   struct { SignatureAndHashAlgorithm algorithm; SignerIdentity identity; opaque signature_value&lt;0..2^16-1&gt;; } Signature;
/// </code>
/// </summary>
public sealed record Signature(SignatureAndHashAlgorithm Algorithm, SignerIdentity Identity, Opaque Value)
{
    /// <summary>An empty signature with identity none: what an unsigned message carries before signing.</summary>
    public static Signature Unsigned { get; } = new(SignatureAndHashAlgorithm.None, SignerIdentity.None, Opaque.Empty);

    internal void Write(WireWriter w, string name = "signature")
    {
        w.Begin(name);
        Algorithm.Write(w);
        Identity.Write(w);
        w.Vector("signature_value", 2, Value.Span);
        w.End();
    }

    internal static bool TryRead(ref WireReader r, out Signature value, string name = "signature")
    {
        value = null!;
        if (!SignatureAndHashAlgorithm.TryRead(ref r, out var algorithm)
            || !SignerIdentity.TryRead(ref r, out var identity)
            || !r.Vector("signature_value", 2, Signatures.Rfc, out var signatureValue))
            return r.Nest(name);
        value = ReferenceEquals(algorithm, SignatureAndHashAlgorithm.None) && ReferenceEquals(identity, SignerIdentity.None) && signatureValue.IsEmpty
            ? Unsigned // shared and immutable, as its parts are
            : new Signature(algorithm, identity, signatureValue);
        return true;
    }
}
