using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Tests.Topology;

/// <summary>
/// Decodes and encodes one message body on its own, as MessageContents does inside message_body
/// (§6.3.3): same decoder, same "left over" rule, offsets counted from the body's first byte.
/// </summary>
internal static class BodyVectors
{
    internal static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    internal static DecodeResult<MessageBody> Decode(ushort code, string hex, int nodeIdLength = 16)
    {
        var bytes = Bytes(hex);
        var r = new WireReader(bytes, new DecodeOptions { NodeIdLength = nodeIdLength });
        if (!r.Narrow("message_body", 0, (uint)bytes.Length, "6.3.3", out var saved)
            || !MessageBodies.TryRead(code, ref r, out var body)
            || !r.Leave("message_body", saved, "6.3.3"))
            return DecodeResult<MessageBody>.Fail(r.Error!);
        return DecodeResult<MessageBody>.Ok(body);
    }

    internal static string Encode(MessageBody body)
    {
        var w = new WireWriter();
        body.WriteFields(w);
        return Convert.ToHexStringLower(w.WrittenSpan);
    }

    /// <summary>A valid vector: decodes to <paramref name="expected"/> and encodes back to the same bytes.</summary>
    internal static void AssertValid(ushort code, string hex, MessageBody expected, int nodeIdLength = 16)
    {
        var decoded = Decode(code, hex, nodeIdLength);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(expected, decoded.Value);
        Assert.Equal(Convert.ToHexStringLower(Bytes(hex)), Encode(decoded.Value));
        Assert.Equal(Convert.ToHexStringLower(Bytes(hex)), Encode(expected));
    }

    /// <summary>An invalid vector: decoding fails (without throwing) at this field and offset.</summary>
    internal static void AssertInvalid(ushort code, string hex, string fieldPath, int offset, int nodeIdLength = 16)
    {
        var decoded = Decode(code, hex, nodeIdLength);
        Assert.False(decoded.IsSuccess, $"decoded to {decoded.Value}");
        Assert.Equal(fieldPath, decoded.Error.FieldPath);
        Assert.Equal(offset, decoded.Error.Offset);
    }
}
