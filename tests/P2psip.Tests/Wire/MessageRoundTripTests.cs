using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Tests.Wire;

public class MessageRoundTripTests
{
    internal static ReloadMessage Sample(MessageBody body) => new(
        new ForwardingHeader
        {
            Overlay = 0x12345678,
            TransactionId = 0x0102030405060708,
            DestinationList = [new NodeDestination(new byte[16])],
            ViaList = [new CompressedDestination(0x8001)],
        },
        body);

    [Fact]
    public void ErrorResponse_round_trips()
    {
        var message = Sample(ErrorResponse.Of(ErrorCodes.NotFound, "nothing here"));
        var bytes = ReloadCodec.Encode(message);
        var decoded = ReloadCodec.Decode(bytes);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(message, decoded.Value);
        Assert.Equal(bytes, ReloadCodec.Encode(decoded.Value));
    }

    [Fact]
    public void Length_override_is_written_and_rejected_by_the_decoder()
    {
        var message = Sample(ErrorResponse.Of(ErrorCodes.NotFound, "x"));
        var bytes = ReloadCodec.Encode(message, new WireEdits().Set("forwarding_header.length", 7));
        var decoded = ReloadCodec.Decode(bytes);
        Assert.False(decoded.IsSuccess);
        Assert.Equal("forwarding_header.length", decoded.Error.FieldPath);
        Assert.Equal(16, decoded.Error.Offset);
    }

    [Fact]
    public void Field_map_offsets_match_the_fast_encoding()
    {
        var message = Sample(ErrorResponse.Of(ErrorCodes.NotFound, "x"));
        var bytes = ReloadCodec.Encode(message);
        var map = ReloadCodec.FieldMap(message);
        Assert.Equal(bytes.Length, map.Length);
        var code = map.Find("message_contents.message_body.error.error_code")!;
        Assert.Equal(3ul, code.Value);
        Assert.Equal(0x00, bytes[code.Offset]);
        Assert.Equal(0x03, bytes[code.Offset + 1]);
    }
}
