using P2psip.Wire;

namespace P2psip.Messages.Security;

/// <summary>TLS's SignatureAndHashAlgorithm (RFC 5246 §7.4.1.4.1), used by RELOAD's Signature (§6.3.4).</summary>
public sealed record SignatureAndHashAlgorithm(byte Hash, byte Signature)
{
    public const byte HashNone = 0, HashSha1 = 2, HashSha256 = 4;
    public const byte SignatureAnonymous = 0, SignatureRsa = 1, SignatureEcdsa = 3;

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256, which every implementation must support (§6.3.4).</summary>
    public static SignatureAndHashAlgorithm RsaSha256 { get; } = new(HashSha256, SignatureRsa);
    public static SignatureAndHashAlgorithm EcdsaSha256 { get; } = new(HashSha256, SignatureEcdsa);
    /// <summary>The "none" algorithm a Store may use for unsigned data (§7.4.1.1).</summary>
    public static SignatureAndHashAlgorithm None { get; } = new(HashNone, SignatureAnonymous);

    public static string? HashName(ulong h) => h switch
    {
        0 => "none", 1 => "md5", 2 => "sha1", 3 => "sha224", 4 => "sha256", 5 => "sha384", 6 => "sha512", _ => null,
    };

    public static string? SignatureName(ulong s) => s switch
    {
        0 => "anonymous", 1 => "rsa", 2 => "dsa", 3 => "ecdsa", _ => null,
    };

    internal void Write(WireWriter w)
    {
        w.Begin("algorithm");
        w.U8("hash", Hash, FieldKind.Enum, HashName);
        w.U8("signature", Signature, FieldKind.Enum, SignatureName);
        w.End();
    }

    internal static bool TryRead(ref WireReader r, out SignatureAndHashAlgorithm value)
    {
        value = null!;
        if (!r.U8("hash", Signatures.Rfc, out var hash) || !r.U8("signature", Signatures.Rfc, out var signature))
            return r.Nest("algorithm");
        // The unsigned messages of a simulated ring all carry none/anonymous: one shared (immutable) instance.
        value = hash == None.Hash && signature == None.Signature ? None : new SignatureAndHashAlgorithm(hash, signature);
        return true;
    }

    public override string ToString() => $"{HashName(Hash) ?? Hash.ToString()}/{SignatureName(Signature) ?? Signature.ToString()}";
}
