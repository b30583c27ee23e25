using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Wire;
using static P2psip.Tests.Topology.UpdateTests;

namespace P2psip.Tests.Topology;

/// <summary>RouteQueryReq (§6.4.2.4.1) and CHORD-RELOAD's RouteQueryAns (§10.8).</summary>
public class RouteQueryTests
{
    private static readonly Dictionary<string, MessageBody> Expected = new()
    {
        ["node, send_update"] = new RouteQueryReq(true, new NodeDestination(Opaque.FromHex(N1))),
        ["resource FOO"] = new RouteQueryReq(false, new ResourceDestination(Opaque.Utf8("FOO"))),
        ["compressed opaque id"] = new RouteQueryReq(false, new CompressedDestination(0x8001)),
    };

    [Theory]
    [InlineData("node, send_update", "01 01 10" + N1 + "0000")]
    // The RFC's ResourceId example: "FOO" = 03 46 4f 4f (§6.3.2.2).
    [InlineData("resource FOO", "00 02 04 03464f4f 0000")]
    [InlineData("compressed opaque id", "00 8001 0000")]
    public void Valid_route_query_req(string label, string hex) =>
        BodyVectors.AssertValid(MessageCodes.RouteQueryReq, hex, Expected[label]);

    [Theory]
    [InlineData("send_update Boolean 2", "02 01 10" + N1 + "0000", "send_update", 0)]
    [InlineData("invalidDestinationType(0)", "00 00 10" + N1 + "0000", "destination.type", 1)]
    [InlineData("15-byte Node-ID destination", "00 01 0f 00112233445566778899aabbccddee 0000", "destination.destination_data", 2)]
    [InlineData("overlay_specific_data in CHORD-RELOAD", "00 01 10" + N1 + "0001 ff", "overlay_specific_data", 19)]
    [InlineData("overlay_specific_data missing", "00 01 10" + N1, "overlay_specific_data", 19)]
    [InlineData("leftover after overlay_specific_data", "00 01 10" + N1 + "0000 00", "message_body", 21)]
    public void Invalid_route_query_req(string label, string hex, string fieldPath, int offset)
    {
        _ = label;
        BodyVectors.AssertInvalid(MessageCodes.RouteQueryReq, hex, fieldPath, offset);
    }

    [Fact]
    public void Valid_route_query_ans() =>
        BodyVectors.AssertValid(MessageCodes.RouteQueryAns, N2, new RouteQueryAns(new ChordRouteQueryAns(Opaque.FromHex(N2))));

    [Theory]
    [InlineData("empty", "", "next_peer", 0)]
    [InlineData("15-byte next_peer", "00112233445566778899aabbccddee", "next_peer", 0)]
    [InlineData("17 bytes: one left over", N1 + "ff", "message_body", 16)]
    public void Invalid_route_query_ans(string label, string hex, string fieldPath, int offset)
    {
        _ = label;
        BodyVectors.AssertInvalid(MessageCodes.RouteQueryAns, hex, fieldPath, offset);
    }
}
