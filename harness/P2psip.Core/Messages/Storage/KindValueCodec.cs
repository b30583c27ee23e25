using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// Decodes and encodes a Kind's value — the bytes of a DataValue's value field — on its own, with
/// the same strict, non-throwing reader as whole messages. StoredData decoding leaves these bytes
/// opaque; the typed helpers (<see cref="SipRegistration"/>, <see cref="TurnServer"/>,
/// <see cref="StoredCertificate"/>) interpret them on request.
/// </summary>
internal static class KindValueCodec
{
    internal static DecodeResult<T> Decode<T>(Opaque bytes, DecodeOptions? options, ElementReader<T> read, string rfc) where T : class
    {
        var r = new WireReader(bytes.Memory, options);
        if (!read(ref r, out var value)) return DecodeResult<T>.Fail(r.Error!);
        if (!r.AtEnd)
            return DecodeResult<T>.Fail(new DecodeError("value", r.Position, $"{r.Remaining} byte{(r.Remaining == 1 ? "" : "s")} left over after the {typeof(T).Name}", rfc));
        return DecodeResult<T>.Ok(value);
    }

    internal static byte[] Encode(Action<WireWriter> write)
    {
        var w = new WireWriter(64);
        write(w);
        return w.ToArray();
    }
}
