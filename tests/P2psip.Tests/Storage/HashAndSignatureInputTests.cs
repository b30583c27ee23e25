using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Tests.Storage;

/// <summary>Overlay field (§6.3.2), CHORD-RELOAD Resource-IDs (§10.2) and the StoredData signature input (§7.1).</summary>
public class HashAndSignatureInputTests
{
    // SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d (FIPS 180 example).
    [Fact]
    public void Overlay_field_is_the_last_four_bytes_of_the_SHA1_digest()
    {
        Assert.Equal(0x9cd0d89du, OverlayHash.OverlayField("abc"));
        // SHA-1("overlay.example.org") = 74b9a543a333b17cf69729622ee7b3219aa32b8d
        Assert.Equal(0x9aa32b8du, OverlayHash.OverlayField("overlay.example.org"));
    }

    [Fact]
    public void Chord_Resource_ID_is_the_first_128_bits_of_the_SHA1_digest()
    {
        Assert.Equal(Opaque.FromHex("a9993e364706816aba3e25717850c26c"), OverlayHash.ResourceId("abc"));
        Assert.Equal(16, OverlayHash.ResourceId("").Length);
    }

    [Fact]
    public void SIP_AOR_Resource_ID_hashes_the_AOR_as_written()
    {
        // SHA-1("sip:alice@dht.example.com") = 50498d8ab50a43b7844afd86106b3ff150b82a37 (§13.5.1's example AOR).
        Assert.Equal(Opaque.FromHex("50498d8ab50a43b7844afd86106b3ff1"), OverlayHash.SipAorResourceId("sip:alice@dht.example.com"));
    }

    [Fact]
    public void Certificate_by_node_is_stored_at_the_hash_of_the_Node_ID()
    {
        Assert.Equal(OverlayHash.ResourceId(Opaque.FromHex("00112233").Span), OverlayHash.CertificateByNodeResourceId(Opaque.FromHex("00112233")));
        Assert.NotEqual(Opaque.FromHex("a9993e364706816aba3e25717850c26c"), OverlayHash.CertificateByNodeResourceId(Opaque.FromHex("a9993e364706816aba3e25717850c26c")));
    }

    [Fact]
    public void Signature_input_of_a_dictionary_entry()
    {
        var data = new StoredData(1_700_000_000_000, 86400, new DictionaryEntry(Opaque.FromHex("abcd"), DataValue.Of(Opaque.Utf8("abc"))), null);
        var identity = SignerIdentity.OfCertHash(Opaque.FromHex("ee01"));
        var input = StoredDataSignature.Input(Opaque.Utf8("FOO"), 1, data, identity);
        Assert.Equal(
            "464f4f" +                       // resource_id bytes
            "00000001" +                     // kind
            "0000018bcfe56800" +             // storage_time
            "0002abcd 01 00000003 616263".Replace(" ", "", StringComparison.Ordinal) + // StoredDataValue
            "01000404 02ee01".Replace(" ", "", StringComparison.Ordinal),             // SignerIdentity cert_hash sha256
            Convert.ToHexStringLower(input));
    }

    [Fact]
    public void Signature_input_of_an_array_entry_zeroes_the_index()
    {
        var appended = new StoredData(1_700_000_000_000, 60, new ArrayEntry(ArrayEntry.Append, DataValue.Of(Opaque.FromHex("dead"))), null);
        var stored = appended with { Value = new ArrayEntry(5, DataValue.Of(Opaque.FromHex("dead"))) };
        var expected = "464f4f" + "00000003" + "0000018bcfe56800" + "00000000" + "01" + "00000002" + "dead" + "030000";
        Assert.Equal(expected, Convert.ToHexStringLower(StoredDataSignature.Input(Opaque.Utf8("FOO"), 3, appended, SignerIdentity.None)));
        Assert.Equal(expected, Convert.ToHexStringLower(StoredDataSignature.Input(Opaque.Utf8("FOO"), 3, stored, SignerIdentity.None)));
    }

    [Fact]
    public void An_uninterpreted_value_cannot_be_signed()
    {
        var data = StoredData.Uninterpreted(1, 1, Opaque.FromHex("00"));
        Assert.Throws<ArgumentException>(() => StoredDataSignature.Input(Opaque.Utf8("FOO"), 99, data, SignerIdentity.None));
    }
}
