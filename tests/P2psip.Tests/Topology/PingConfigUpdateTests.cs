using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Wire;

namespace P2psip.Tests.Topology;

/// <summary>Ping (§6.5.3) and ConfigUpdate (§6.5.4).</summary>
public class PingConfigUpdateTests
{
    private static readonly Dictionary<string, MessageBody> Expected = new()
    {
        ["ping_req no padding"] = new PingReq(Opaque.Empty),
        ["ping_req 4 bytes padding"] = new PingReq(new byte[4]),
        ["ping_ans"] = new PingAns(0x5eed5eed5eed5eed, 0x0000019b7c2f1c00),
        ["config_update_req config"] = new ConfigDataUpdateReq(Opaque.Utf8("abc")),
        ["config_update_req kind, two descriptions"] = new KindUpdateReq([Opaque.Utf8("hi"), Opaque.Utf8("!")]),
        ["config_update_req kind, none"] = new KindUpdateReq([]),
        ["config_update_req unknown type kept whole"] = new UnknownConfigUpdateReq(7, Opaque.FromHex("abcd")),
        ["config_update_ans"] = new ConfigUpdateAns(),
    };

    [Theory]
    [InlineData("ping_req no padding", MessageCodes.PingReq, "0000")]
    [InlineData("ping_req 4 bytes padding", MessageCodes.PingReq, "0004 00000000")]
    [InlineData("ping_ans", MessageCodes.PingAns, "5eed5eed5eed5eed 0000019b7c2f1c00")]
    [InlineData("config_update_req config", MessageCodes.ConfigUpdateReq, "01 00000006 000003 616263")]
    [InlineData("config_update_req kind, two descriptions", MessageCodes.ConfigUpdateReq, "02 0000000a 000007 0002 6869 0001 21")]
    [InlineData("config_update_req kind, none", MessageCodes.ConfigUpdateReq, "02 00000003 000000")]
    [InlineData("config_update_req unknown type kept whole", MessageCodes.ConfigUpdateReq, "07 00000002 abcd")]
    [InlineData("config_update_ans", MessageCodes.ConfigUpdateAns, "")]
    public void Valid(string label, ushort code, string hex) =>
        BodyVectors.AssertValid(code, hex, Expected[label]);

    [Theory]
    [InlineData("ping_req padding runs past the body", MessageCodes.PingReq, "0005 0000", "padding", 0)]
    [InlineData("ping_req leftover", MessageCodes.PingReq, "0000 00", "message_body", 2)]
    [InlineData("ping_ans time cut short", MessageCodes.PingAns, "5eed5eed5eed5eed 0000019b7c2f1c", "time", 8)]
    [InlineData("ping_ans leftover", MessageCodes.PingAns, "5eed5eed5eed5eed 0000019b7c2f1c00 00", "message_body", 16)]
    [InlineData("invalidConfigUpdateType(0)", MessageCodes.ConfigUpdateReq, "00 00000000", "type", 0)]
    [InlineData("length runs past the body", MessageCodes.ConfigUpdateReq, "01 00000007 000003 616263", "length", 1)]
    [InlineData("length longer than config_data", MessageCodes.ConfigUpdateReq, "01 00000007 000003 616263 ff", "length", 11)]
    [InlineData("config_data runs past length", MessageCodes.ConfigUpdateReq, "01 00000005 000003 616263", "config_data", 5)]
    [InlineData("kinds run past length", MessageCodes.ConfigUpdateReq, "02 00000004 000003 00", "kinds", 5)]
    [InlineData("KindDescription runs past kinds", MessageCodes.ConfigUpdateReq, "02 00000006 000003 000501", "kinds[0].length", 8)]
    [InlineData("KindDescription length cut short", MessageCodes.ConfigUpdateReq, "02 00000004 000001 00", "kinds[0].length", 8)]
    [InlineData("config_update_ans not empty", MessageCodes.ConfigUpdateAns, "00", "message_body", 0)]
    public void Invalid(string label, ushort code, string hex, string fieldPath, int offset)
    {
        _ = label;
        BodyVectors.AssertInvalid(code, hex, fieldPath, offset);
    }
}
