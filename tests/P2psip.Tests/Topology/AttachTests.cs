using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Wire;

namespace P2psip.Tests.Topology;

/// <summary>Attach (§6.5.1) and AppAttach (§6.5.2): AttachReqAns, IceCandidate, IceExtension.</summary>
public class AttachTests
{
    // IpAddressPort 192.0.2.1:6084 is the RFC's own example (§6.3.1.1); DTLS-UDP-SR; foundation "1";
    // priority 0x7effffff; host; no extensions. 18 bytes.
    internal const string Host = "0106c000020117c4 01 0131 7effffff 01 0000";
    // 198.51.100.7:40312, TLS-TCP-FH-NO-ICE, empty foundation, priority 1, srflx with rel_addr_port
    // 192.0.2.1:6084, one extension name "n" value "10". 32 bytes.
    private const string Srflx = "0106c63364079d78 04 00 00000001 02 0106c000020117c4 0007 00016e 00023130";
    // [2001:db8::5]:3478, DTLS-UDP-SR, foundation "3", relay with rel_addr_port 198.51.100.7:40312. 38 bytes.
    private const string Relay = "0212 20010db8000000000000000000000005 0d96 01 0133 00ffffff 04 0106c63364079d78 0000";
    // ufrag "a", password "b", role "passive".
    private const string Credentials = "0161 0162 0770617373697665";

    private static readonly IceCandidate HostCandidate =
        IceCandidate.Host(IpAddressPort.Parse("192.0.2.1:6084"), OverlayLinkType.DtlsUdpSr, Opaque.Utf8("1"), 0x7effffff);

    private static readonly IceCandidate SrflxCandidate = new(
        IpAddressPort.Parse("198.51.100.7:40312"), OverlayLinkType.TlsTcpFhNoIce, Opaque.Empty, 1, CandType.Srflx,
        IpAddressPort.Parse("192.0.2.1:6084"), [new IceExtension(Opaque.Utf8("n"), Opaque.Utf8("10"))]);

    private static readonly IceCandidate RelayCandidate = new(
        IpAddressPort.Parse("[2001:db8::5]:3478"), OverlayLinkType.DtlsUdpSr, Opaque.Utf8("3"), 0x00ffffff, CandType.Relay,
        IpAddressPort.Parse("198.51.100.7:40312"), []);

    private static readonly Opaque A = Opaque.Utf8("a"), B = Opaque.Utf8("b"), Passive = Opaque.Utf8("passive"), Active = Opaque.Utf8("active");

    private static readonly Dictionary<string, MessageBody> Expected = new()
    {
        ["attach_req host, send_update"] = new AttachReq(A, B, Passive, [HostCandidate], true),
        ["attach_req relay over IPv6"] = new AttachReq(A, B, Passive, [RelayCandidate], false),
        ["attach_req no candidates"] = new AttachReq(A, B, Passive, [], false),
        ["attach_ans srflx with extension"] = new AttachAns(Opaque.Empty, Opaque.Empty, Active, [SrflxCandidate], false),
        ["attach_ans three candidates"] = new AttachAns(A, B, Active, [HostCandidate, SrflxCandidate, RelayCandidate], true),
        ["app_attach_req SIP"] = new AppAttachReq(A, B, AppAttachReqAns.SipApplication, Passive, [HostCandidate]),
        ["app_attach_ans SIPS, no candidates"] = new AppAttachAns(Opaque.Empty, Opaque.Empty, AppAttachReqAns.SipsApplication, Active, []),
    };

    [Theory]
    [InlineData("attach_req host, send_update", MessageCodes.AttachReq, Credentials + "0012" + Host + "01")]
    [InlineData("attach_req relay over IPv6", MessageCodes.AttachReq, Credentials + "0026" + Relay + "00")]
    [InlineData("attach_req no candidates", MessageCodes.AttachReq, Credentials + "0000 00")]
    [InlineData("attach_ans srflx with extension", MessageCodes.AttachAns, "00 00 06616374697665 0020" + Srflx + "00")]
    [InlineData("attach_ans three candidates", MessageCodes.AttachAns, "0161 0162 06616374697665 0058" + Host + Srflx + Relay + "01")]
    [InlineData("app_attach_req SIP", MessageCodes.AppAttachReq, "0161 0162 13c4 0770617373697665 0012" + Host)]
    [InlineData("app_attach_ans SIPS, no candidates", MessageCodes.AppAttachAns, "00 00 13c5 06616374697665 0000")]
    public void Valid(string label, ushort code, string hex) =>
        BodyVectors.AssertValid(code, hex, Expected[label]);

    [Fact]
    public void Request_and_answer_share_a_layout_but_not_a_code()
    {
        var hex = Credentials + "0000 00";
        var request = BodyVectors.Decode(MessageCodes.AttachReq, hex).Value!;
        var answer = BodyVectors.Decode(MessageCodes.AttachAns, hex).Value!;
        Assert.IsType<AttachReq>(request);
        Assert.IsType<AttachAns>(answer);
        Assert.Equal((MessageCodes.AttachReq, "attach_req"), (request.Code, request.FieldName));
        Assert.Equal((MessageCodes.AttachAns, "attach_ans"), (answer.Code, answer.FieldName));
        Assert.NotEqual<MessageBody>(request, answer);
    }

    [Theory]
    [InlineData("send_update Boolean 2", MessageCodes.AttachReq, Credentials + "0012" + Host + "02", "send_update", 32)]
    [InlineData("send_update missing", MessageCodes.AttachReq, Credentials + "0012" + Host, "send_update", 32)]
    [InlineData("invalidCandType(0)", MessageCodes.AttachReq, Credentials + "0012 0106c000020117c4 01 0131 7effffff 00 0000 01", "candidates[0].type", 29)]
    [InlineData("RESERVED(3) CandType", MessageCodes.AttachReq, Credentials + "0012 0106c000020117c4 01 0131 7effffff 03 0000 01", "candidates[0].type", 29)]
    [InlineData("invalidOverlayLinkType(0)", MessageCodes.AttachReq, Credentials + "0012 0106c000020117c4 00 0131 7effffff 01 0000 01", "candidates[0].overlay_link", 22)]
    [InlineData("srflx without rel_addr_port", MessageCodes.AttachReq, Credentials + "0012 0106c000020117c4 01 0131 7effffff 02 0000 01", "candidates[0].rel_addr_port.type", 30)]
    [InlineData("IPv4 addr_port of length 5", MessageCodes.AttachReq, Credentials + "0012 0105c000020117c4 01 0131 7effffff 01 0000 01", "candidates[0].addr_port.length", 15)]
    [InlineData("candidates run past the body", MessageCodes.AttachReq, Credentials + "0014" + Host + "01", "candidates", 12)]
    [InlineData("candidate cut by the list length", MessageCodes.AttachReq, Credentials + "0011" + Host + "01", "candidates[0].extensions", 30)]
    [InlineData("extension name runs past its list", MessageCodes.AttachReq, Credentials + "0014 0106c000020117c4 01 0131 7effffff 01 0002 0001 01", "candidates[0].extensions[0].name", 32)]
    [InlineData("addr_port runs past the candidate list", MessageCodes.AttachAns, "00 00 00 0004 0106c000", "candidates[0].addr_port.value", 6)]
    [InlineData("leftover after send_update", MessageCodes.AttachAns, Credentials + "0012" + Host + "01 ff", "message_body", 33)]
    [InlineData("app_attach Application-ID 0", MessageCodes.AppAttachReq, "0161 0162 0000 0770617373697665 0000", "application", 4)]
    [InlineData("app_attach invalidCandType(0)", MessageCodes.AppAttachReq, "0161 0162 13c4 0770617373697665 0012 0106c000020117c4 01 0131 7effffff 00 0000", "candidates[0].type", 31)]
    [InlineData("app_attach has no send_update", MessageCodes.AppAttachAns, "00 00 13c5 06616374697665 0000 01", "message_body", 13)]
    public void Invalid(string label, ushort code, string hex, string fieldPath, int offset)
    {
        _ = label;
        BodyVectors.AssertInvalid(code, hex, fieldPath, offset);
    }
}
