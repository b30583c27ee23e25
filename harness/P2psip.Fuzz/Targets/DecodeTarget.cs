using P2psip.Framing;
using P2psip.Messages;

namespace P2psip.Fuzz.Targets;

/// <summary>
/// The strict decoder on one message (<see cref="ReloadCodec.Decode"/>). An input whose first byte is
/// a frame type, data(128) or ack(129) (§6.6.2), is also decoded as a <see cref="FramedMessage"/>,
/// and a DATA frame's payload as a message. Beyond "never throws", every successful decode must
/// re-encode to the very same bytes and decode again to an equal model (the codec's round-trip
/// promise): a message the decoder accepts has exactly one encoding.
/// </summary>
public sealed class DecodeTarget : IFuzzTarget
{
    public string Name => "decode";

    public void Run(ReadOnlyMemory<byte> input)
    {
        DecodeMessage(input);
        if (input.Length > 0 && input.Span[0] is FramedMessage.DataType or FramedMessage.AckType)
        {
            var frame = FramedMessage.Decode(input);
            if (!frame.IsSuccess) return;
            var again = frame.Value.Encode();
            if (!again.AsSpan().SequenceEqual(input.Span))
                throw new FuzzOracleException($"framed message re-encoded to different bytes: {Convert.ToHexStringLower(again)}");
            if (frame.Value is DataFrame data)
                DecodeMessage(data.Message.Memory);
        }
    }

    internal static void DecodeMessage(ReadOnlyMemory<byte> bytes)
    {
        var decoded = ReloadCodec.Decode(bytes);
        if (!decoded.IsSuccess)
        {
            // Building the error text walks the error path: it must not throw either.
            _ = decoded.Error.ToString();
            return;
        }
        var encoded = ReloadCodec.Encode(decoded.Value);
        if (!encoded.AsSpan().SequenceEqual(bytes.Span))
            throw new FuzzOracleException($"decoded message re-encoded to different bytes: {Convert.ToHexStringLower(encoded)}");
        var redecoded = ReloadCodec.Decode(encoded);
        if (!redecoded.IsSuccess)
            throw new FuzzOracleException($"re-encoded message does not decode: {redecoded.Error}");
        if (!redecoded.Value.Equals(decoded.Value))
            throw new FuzzOracleException("re-decoded message differs from the first decode");
        var map = ReloadCodec.FieldMap(decoded.Value);
        if (map.Length != bytes.Length)
            throw new FuzzOracleException($"field map covers {map.Length} bytes of {bytes.Length}");
    }
}
