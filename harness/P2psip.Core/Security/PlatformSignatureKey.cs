using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using P2psip.Messages.Security;

namespace P2psip.Security;

/// <summary>
/// The platform's (OpenSSL's) twin of a BouncyCastle key, made once per key object, for RELOAD's
/// message and data signatures (§6.3.4, §7.1): ECDSA P-256 signing and verification there is about
/// ten times faster than BouncyCastle's, and every message a peer sends or takes is signed or
/// verified. Keys stay BouncyCastle objects everywhere else (certificates, TLS, PEM files); a key
/// the platform cannot take (another curve, a malformed point) keeps the BouncyCastle path.
/// </summary>
internal sealed class PlatformSignatureKey
{
    private static readonly ConditionalWeakTable<AsymmetricKeyParameter, PlatformSignatureKey> Twins = new();

    /// <summary>Marks a key the platform cannot take, so it is tried once.</summary>
    private static readonly PlatformSignatureKey None = new(null, null);

    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private PlatformSignatureKey(ECDsa? ec, RSA? rsa)
    {
        _ec = ec;
        _rsa = rsa;
    }

    /// <summary>The twin of a key for this algorithm, or null when BouncyCastle must do it.</summary>
    public static PlatformSignatureKey? For(AsymmetricKeyParameter key, SignatureAndHashAlgorithm algorithm)
    {
        if (algorithm.Hash != SignatureAndHashAlgorithm.HashSha256) return null;
        var twin = Twins.GetValue(key, Create);
        if (twin == None) return null;
        return algorithm.Signature switch
        {
            SignatureAndHashAlgorithm.SignatureEcdsa when twin._ec is not null => twin,
            SignatureAndHashAlgorithm.SignatureRsa when twin._rsa is not null => twin,
            _ => null,
        };
    }

    public byte[] Sign(ReadOnlySpan<byte> input)
    {
        // One operation at a time on a key: the platform objects are not documented as thread-safe.
        lock (this)
        {
            return _ec is not null
                ? _ec.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                : _rsa!.SignData(input.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }

    /// <summary>True when the signature verifies; false says nothing of why (the caller asks BouncyCastle).</summary>
    public bool Verify(ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        lock (this)
        {
            try
            {
                // The ECDSA value is DER-encoded r,s as in TLS (§6.3.4); the platform reads strict DER.
                return _ec is not null
                    ? _ec.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                    : _rsa!.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }

    private static PlatformSignatureKey Create(AsymmetricKeyParameter key)
    {
        try
        {
            return key switch
            {
                ECPrivateKeyParameters ec when IsP256(ec) => new(EcFrom(ec, ec.Parameters.G.Multiply(ec.D).Normalize(), ec.D), null),
                ECPublicKeyParameters ec when IsP256(ec) => new(EcFrom(ec, ec.Q.Normalize(), null), null),
                RsaPrivateCrtKeyParameters rsa => new(null, RSA.Create(DotNetUtilities.ToRSAParameters(rsa))),
                RsaKeyParameters { IsPrivate: false } rsa => new(null, RSA.Create(DotNetUtilities.ToRSAParameters(rsa))),
                _ => None,
            };
        }
        catch (CryptographicException)
        {
            return None;
        }
    }

    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters P256 = SecNamedCurves.GetByOid(SecObjectIdentifiers.SecP256r1);

    private static bool IsP256(ECKeyParameters key) => key.Parameters.Curve.Equals(P256.Curve) && key.Parameters.G.Equals(P256.G);

    private static ECDsa EcFrom(ECKeyParameters key, Org.BouncyCastle.Math.EC.ECPoint q, Org.BouncyCastle.Math.BigInteger? d)
    {
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = q.AffineXCoord.ToBigInteger().ToByteArrayUnsigned().PadLeft(32),
                Y = q.AffineYCoord.ToBigInteger().ToByteArrayUnsigned().PadLeft(32),
            },
            D = d?.ToByteArrayUnsigned().PadLeft(32),
        };
        return ECDsa.Create(parameters);
    }
}

file static class FixedLength
{
    /// <summary>Big-endian value bytes left-padded with zeros to a field element's 32 bytes.</summary>
    public static byte[] PadLeft(this byte[] value, int length)
    {
        if (value.Length >= length) return value;
        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }
}
