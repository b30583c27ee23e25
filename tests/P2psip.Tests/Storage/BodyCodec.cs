using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Tests.Storage;

/// <summary>Decodes and encodes a message body on its own, so hex vectors can be written per structure.</summary>
internal static class BodyCodec
{
    internal static DecodeResult<MessageBody> Decode(ushort code, string hex, DecodeOptions? options = null)
    {
        var r = new WireReader(Convert.FromHexString(hex), options);
        if (!MessageBodies.TryRead(code, ref r, out var body)) return DecodeResult<MessageBody>.Fail(r.Error!);
        if (!r.AtEnd) return DecodeResult<MessageBody>.Fail(new DecodeError("body", r.Position, "left over", "test"));
        return DecodeResult<MessageBody>.Ok(body);
    }

    internal static string Encode(MessageBody body)
    {
        var w = new WireWriter();
        body.WriteFields(w);
        return Convert.ToHexStringLower(w.WrittenSpan);
    }

    /// <summary>Asserts the body decodes to <paramref name="expected"/> and encodes back to the same bytes.</summary>
    internal static void AssertValid(ushort code, string hex, MessageBody expected, DecodeOptions? options = null)
    {
        hex = hex.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        var decoded = Decode(code, hex, options);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(expected, decoded.Value);
        Assert.Equal(hex, Encode(expected));
    }

    /// <summary>Asserts the body is rejected at <paramref name="path"/> and <paramref name="offset"/>, without throwing.</summary>
    internal static DecodeError AssertInvalid(ushort code, string hex, string path, int offset, DecodeOptions? options = null)
    {
        var decoded = Decode(code, hex.Replace(" ", "", StringComparison.Ordinal), options);
        Assert.False(decoded.IsSuccess, "decoded although invalid");
        Assert.Equal(path, decoded.Error.FieldPath);
        Assert.Equal(offset, decoded.Error.Offset);
        return decoded.Error;
    }
}
