using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Wire;

namespace P2psip.Tests.Wire;

/// <summary>
/// Issue 11, defect 10 (§6.3.3): message codes 0x8000–0xFFFE are reserved; a message carrying one
/// is invalid, and the decoder says which field, where and why. 0xFFFF (Error) and unassigned codes
/// below 0x8000 still decode.
/// </summary>
public class ReservedMessageCodeTests
{
    [Theory]
    [InlineData((ushort)0x8000)]
    [InlineData((ushort)0x8001)]
    [InlineData((ushort)0xFFFE)]
    public void AReservedMessageCodeIsRefusedByTheDecoder(ushort code)
    {
        var message = MessageRoundTripTests.Sample(new OpaqueBody(code, Opaque.Empty));
        var bytes = ReloadCodec.Encode(message);
        Assert.True(ForwardingHeaderView.TryRead(bytes, null, out var view, out _));
        var decoded = ReloadCodec.DecodeCopy(bytes);
        Assert.False(decoded.IsSuccess);
        Assert.EndsWith("message_code", decoded.Error.FieldPath, StringComparison.Ordinal);
        Assert.Equal(view.ContentsOffset, decoded.Error.Offset);
        Assert.Contains("reserved", decoded.Error.Reason, StringComparison.Ordinal);
        Assert.Equal("6.3.3", decoded.Error.RfcSection);
    }

    [Theory]
    [InlineData((ushort)0x7FFF)]
    [InlineData((ushort)0x0100)]
    public void AnUnassignedCodeBelowTheReservedRangeStillDecodes(ushort code)
    {
        var decoded = ReloadCodec.DecodeCopy(ReloadCodec.Encode(MessageRoundTripTests.Sample(new OpaqueBody(code, Opaque.Utf8("x")))));
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(code, decoded.Value.MessageCode);
    }

    [Fact]
    public void TheErrorCodeIsNotReserved()
    {
        var decoded = ReloadCodec.DecodeCopy(ReloadCodec.Encode(MessageRoundTripTests.Sample(ErrorResponse.Of(ErrorCodes.NotFound, "x"))));
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.IsType<ErrorResponse>(decoded.Value.Body);
    }
}
