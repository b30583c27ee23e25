using P2psip.Security;

namespace P2psip.Tests.Security;

public class CertificateValidatorTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Fact]
    public void Accepts_an_enrolled_identity_and_reads_its_node_id()
    {
        var check = Pki.Validator.Check(Pki.Alice.Certificate.Der, Pki.Alice.NodeId);
        Assert.True(check.Accepted, check.Refusal);
        Assert.Equal(Pki.Alice.NodeId, check.Certificate!.NodeIds[0]);
    }

    [Theory]
    [InlineData("none", "no certificate")]
    [InlineData("self-signed", "self-signed")]
    [InlineData("other-ca", "another CA")]
    [InlineData("expired", "expired")]
    [InlineData("wrong-node-id", "does not carry the expected Node-ID")]
    [InlineData("garbage", "cannot be parsed")]
    public void Refuses_with_a_reason_in_words(string kind, string words)
    {
        var check = kind switch
        {
            "none" => Pki.Validator.Check([]),
            "self-signed" => Pki.Validator.Check(Pki.SelfSigned.Certificate.Der),
            "other-ca" => Pki.Validator.Check(Pki.FromOtherCa.Certificate.Der),
            "expired" => Pki.Validator.Check(Pki.Expired.Certificate.Der),
            "wrong-node-id" => Pki.Validator.Check(Pki.Alice.Certificate.Der, Pki.Bob.NodeId),
            _ => Pki.Validator.Check([0x30, 0x03, 0x01, 0x01, 0xFF]),
        };
        Assert.False(check.Accepted);
        Assert.Contains(words, check.Refusal);
    }

    [Fact]
    public void Refuses_a_bad_node() =>
        Assert.Contains("bad-node", new CertificateValidator([Pki.Ca.Root], TestPki.Overlay, [Pki.Bob.NodeId.ToHex()]).Check(Pki.Bob.Certificate.Der).Refusal);
}
