using P2psip.Wire;

namespace P2psip.Messages.Security;

/// <summary>
/// Who signed (§6.3.4):
/// <code>
///   enum { invalidSignerIdentityType(0), cert_hash(1), cert_hash_node_id(2), none(3), (255) } SignerIdentityType;
///   struct { SignerIdentityType identity_type; uint16 length; SignerIdentityValue identity[SignerIdentity.length]; } SignerIdentity;
/// </code>
/// For cert_hash and cert_hash_node_id, <see cref="HashAlgorithm"/> and <see cref="Hash"/> hold the
/// value; for none both are empty; for a type this codec does not know, <see cref="Hash"/> holds the
/// raw value ("This structure may be extended").
/// </summary>
public sealed record SignerIdentity(byte IdentityType, byte HashAlgorithm, Opaque Hash)
{
    public const byte CertHash = 1, CertHashNodeId = 2, NoneType = 3;

    public static SignerIdentity None { get; } = new(NoneType, 0, Opaque.Empty);

    public static SignerIdentity OfCertHash(Opaque sha256OfCertificate) =>
        new(CertHash, SignatureAndHashAlgorithm.HashSha256, sha256OfCertificate);

    public bool IsKnownType => IdentityType is CertHash or CertHashNodeId or NoneType;

    public static string? TypeName(ulong t) => t switch
    {
        0 => "invalidSignerIdentityType", 1 => "cert_hash", 2 => "cert_hash_node_id", 3 => "none", _ => null,
    };

    internal void Write(WireWriter w)
    {
        w.Begin("identity");
        w.U8("identity_type", IdentityType, FieldKind.Enum, TypeName);
        var length = w.Reserve("length", 2);
        w.Begin("identity");
        switch (IdentityType)
        {
            case CertHash:
                w.U8("hash_alg", HashAlgorithm, FieldKind.Enum, SignatureAndHashAlgorithm.HashName);
                w.Vector("certificate_hash", 1, Hash.Span);
                break;
            case CertHashNodeId:
                w.U8("hash_alg", HashAlgorithm, FieldKind.Enum, SignatureAndHashAlgorithm.HashName);
                w.Vector("certificate_node_id_hash", 1, Hash.Span);
                break;
            case NoneType:
                break;
            default:
                w.Bytes("value", Hash.Span);
                break;
        }
        w.Fill(length, w.End());
        w.End();
    }

    internal static bool TryRead(ref WireReader r, out SignerIdentity value)
    {
        const string Rfc = Signatures.Rfc;
        value = null!;
        if (!r.Enum8NonZero("identity_type", Rfc, out var type)) return r.Nest("identity");
        int lengthAt = r.Position;
        if (!r.U16("length", Rfc, out var length)) return r.Nest("identity");
        if (!r.Narrow("identity", lengthAt, length, Rfc, out var saved)) return r.Nest("identity");
        byte hashAlg = 0;
        Opaque hash;
        switch (type)
        {
            case CertHash:
                if (!r.U8("hash_alg", Rfc, out hashAlg) || !r.Vector("certificate_hash", 1, Rfc, out hash))
                    return r.Nest("identity") || r.Nest("identity");
                break;
            case CertHashNodeId:
                if (!r.U8("hash_alg", Rfc, out hashAlg) || !r.Vector("certificate_node_id_hash", 1, Rfc, out hash))
                    return r.Nest("identity") || r.Nest("identity");
                break;
            case NoneType:
                hash = Opaque.Empty;
                break;
            default:
                hash = r.Rest();
                break;
        }
        if (!r.Leave("identity", saved, Rfc)) return r.Nest("identity");
        value = type == NoneType && hashAlg == 0 && hash.IsEmpty ? None : new SignerIdentity(type, hashAlg, hash);
        return true;
    }

    public override string ToString() => IdentityType switch
    {
        NoneType => "none",
        CertHash or CertHashNodeId => $"{TypeName(IdentityType)} {SignatureAndHashAlgorithm.HashName(HashAlgorithm)} {Hash}",
        _ => $"type {IdentityType} {Hash}",
    };
}
