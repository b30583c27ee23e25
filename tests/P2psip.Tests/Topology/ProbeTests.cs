using P2psip.Messages;
using P2psip.Messages.Topology;
using P2psip.Wire;

namespace P2psip.Tests.Topology;

/// <summary>Probe (§6.4.2.5): ProbeReq's requested types and ProbeAns's ProbeInformation list.</summary>
public class ProbeTests
{
    private static readonly Dictionary<string, MessageBody> Expected = new()
    {
        ["probe_req all three"] = new ProbeReq([1, 2, 3]),
        ["probe_req empty"] = new ProbeReq([]),
        ["probe_req unknown type kept"] = new ProbeReq([7]),
        ["probe_ans all three"] = new ProbeAns([new ResponsibleSetInformation(250_000_000), new NumResourcesInformation(42), new UptimeInformation(86_400)]),
        ["probe_ans empty"] = new ProbeAns([]),
        ["probe_ans unknown type kept whole"] = new ProbeAns([new UnknownProbeInformation(9, Opaque.FromHex("aabbcc"))]),
        ["probe_ans unknown type, empty value"] = new ProbeAns([new UnknownProbeInformation(200, Opaque.Empty), new UptimeInformation(1)]),
    };

    [Theory]
    [InlineData("probe_req all three", MessageCodes.ProbeReq, "03 010203")]
    [InlineData("probe_req empty", MessageCodes.ProbeReq, "00")]
    [InlineData("probe_req unknown type kept", MessageCodes.ProbeReq, "01 07")]
    [InlineData("probe_ans all three", MessageCodes.ProbeAns, "0012 01 04 0ee6b280 02 04 0000002a 03 04 00015180")]
    [InlineData("probe_ans empty", MessageCodes.ProbeAns, "0000")]
    [InlineData("probe_ans unknown type kept whole", MessageCodes.ProbeAns, "0005 09 03 aabbcc")]
    [InlineData("probe_ans unknown type, empty value", MessageCodes.ProbeAns, "0008 c8 00 03 04 00000001")]
    public void Valid(string label, ushort code, string hex) =>
        BodyVectors.AssertValid(code, hex, Expected[label]);

    [Theory]
    [InlineData("probe_req invalidProbeInformationType(0)", MessageCodes.ProbeReq, "02 01 00", "requested_info[1]", 2)]
    [InlineData("probe_req list runs past the body", MessageCodes.ProbeReq, "03 0102", "requested_info", 0)]
    [InlineData("probe_req missing", MessageCodes.ProbeReq, "", "requested_info", 0)]
    [InlineData("probe_req leftover", MessageCodes.ProbeReq, "01 01 02", "message_body", 2)]
    [InlineData("probe_ans invalidProbeInformationType(0)", MessageCodes.ProbeAns, "0006 00 04 00000001", "probe_info[0].type", 2)]
    [InlineData("probe_ans responsible_set of 2 bytes", MessageCodes.ProbeAns, "0004 01 02 0001", "probe_info[0].length", 3)]
    [InlineData("probe_ans uptime of 5 bytes", MessageCodes.ProbeAns, "000d 02 04 00000001 03 05 0000000001", "probe_info[1].length", 9)]
    [InlineData("probe_ans unknown value runs past its element list", MessageCodes.ProbeAns, "0004 09 05 aabb", "probe_info[0].length", 3)]
    [InlineData("probe_ans element cut short", MessageCodes.ProbeAns, "0001 01", "probe_info[0].length", 3)]
    [InlineData("probe_ans list runs past the body", MessageCodes.ProbeAns, "0007 01 04 00000001", "probe_info", 0)]
    public void Invalid(string label, ushort code, string hex, string fieldPath, int offset)
    {
        _ = label;
        BodyVectors.AssertInvalid(code, hex, fieldPath, offset);
    }
}
