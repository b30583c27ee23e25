using Org.BouncyCastle.X509;
using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The value of Kinds CERTIFICATE_BY_NODE (3) and CERTIFICATE_BY_USER (16), arrays to which new
/// certificates are appended (§8): the DataValue holds one DER-encoded X.509 certificate.
/// Decoding checks the DER framing — one SEQUENCE (tag 0x30) with a definite length that covers
/// the value exactly — and leaves the certificate's contents to <see cref="TryParseX509"/>.
/// </summary>
public sealed record StoredCertificate(Opaque Der)
{
    internal const string Rfc = "8";

    public static StoredCertificate Of(X509Certificate certificate) => new(certificate.GetEncoded());

    public byte[] Encode() => Der.ToArray();

    public DataValue ToDataValue() => DataValue.Of(Der);

    /// <summary>An array entry that appends this certificate (index 0xffffffff, §7.4.1.1).</summary>
    public ArrayEntry ToAppendEntry() => new(ArrayEntry.Append, ToDataValue());

    /// <summary>Checks the DER framing of a DataValue's value field; the certificate is the whole value.</summary>
    public static DecodeResult<StoredCertificate> Decode(Opaque value, DecodeOptions? options = null)
    {
        var r = new WireReader(value.Memory, options);
        return CheckFraming(ref r) ? DecodeResult<StoredCertificate>.Ok(new StoredCertificate(value)) : DecodeResult<StoredCertificate>.Fail(r.Error!);
    }

    /// <summary>Reads one DER SEQUENCE header and its contents, which must fill the rest of the reader's window.</summary>
    internal static bool CheckFraming(ref WireReader r)
    {
        int at = r.Position;
        if (!r.U8("tag", Rfc, out var tag)) return false;
        if (tag != 0x30) return r.Reject("tag", at, $"a DER certificate starts with a SEQUENCE (0x30), got 0x{tag:x2}", Rfc);
        at = r.Position;
        if (!r.U8("length", Rfc, out var first)) return false;
        uint length = first;
        if (first >= 0x80)
        {
            int count = first & 0x7f;
            if (count is 0 or > 4)
                return r.Reject("length", at, count == 0 ? "DER does not allow the indefinite length form" : $"a {count}-byte DER length is too long", Rfc);
            if (!r.UInt("length", count, Rfc, out length)) return false;
        }
        if (length != (uint)r.Remaining)
            return r.Reject("length", at, $"the certificate's DER length {length} does not match the {r.Remaining} bytes that follow it", Rfc);
        return r.Bytes("contents", r.Remaining, Rfc, out _);
    }

    /// <summary>Parses the certificate with BouncyCastle; false (never an exception) when it does not parse.</summary>
    public bool TryParseX509(out X509Certificate? certificate)
    {
        try
        {
            certificate = new X509CertificateParser().ReadCertificate(Der.ToArray());
            return certificate is not null;
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.Certificates.CertificateException or IOException or ArgumentException or InvalidOperationException or Org.BouncyCastle.Asn1.Asn1Exception)
        {
            certificate = null;
            return false;
        }
    }

    public override string ToString() => $"certificate ({Der.Length} bytes DER)";
}
