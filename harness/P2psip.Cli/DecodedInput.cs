using P2psip.Framing;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Cli;

/// <summary>
/// One input decoded: a RELOAD message (forwarding header first), or a framed message (§6.6.2,
/// first byte data(128) or ack(129)) and, for DATA, the RELOAD message inside it.
/// </summary>
internal sealed record DecodedInput(string Source, FramedMessage? Frame, ReloadMessage? Message, DecodeError? Error)
{
    public bool IsValid => Error is null;

    public static DecodedInput FromBytes(string source, byte[] bytes)
    {
        if (bytes.Length > 0 && bytes[0] is FramedMessage.DataType or FramedMessage.AckType)
        {
            var frame = FramedMessage.Decode(bytes);
            if (!frame.IsSuccess) return new DecodedInput(source, null, null, frame.Error);
            return FromFrame(source, frame.Value);
        }
        var message = ReloadCodec.Decode(bytes);
        return message.IsSuccess
            ? new DecodedInput(source, null, message.Value, null)
            : new DecodedInput(source, null, null, message.Error);
    }

    public static DecodedInput FromFrame(string source, FramedMessage frame)
    {
        if (frame is not DataFrame data) return new DecodedInput(source, frame, null, null);
        var message = ReloadCodec.Decode(data.Message.Memory);
        return message.IsSuccess
            ? new DecodedInput(source, frame, message.Value, null)
            : new DecodedInput(source, frame, null, message.Error);
    }

    /// <summary>The one line printed for an input that did not decode.</summary>
    public string InvalidLine => $"{Source}: invalid: {Error}";
}
