using P2psip.Framing;
using P2psip.Messages;
using P2psip.Tests.Wire;
using P2psip.Wire;

namespace P2psip.Tests.Rendering;

internal static class RenderingSamples
{
    public static FieldNode ErrorResponseMap() =>
        ReloadCodec.FieldMap(MessageRoundTripTests.Sample(ErrorResponse.Of(ErrorCodes.NotFound, "nothing here")));

    public static FieldNode FramedAckMap() => FramedMessage.FieldMap(new AckFrame(5, 0b110));
}
