using P2psip.Messages.Security;
using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// The entry points of the wire codec: strict decoding that never throws, encoding that computes
/// every length unless told otherwise, and the field map behind the dump, the JSON and the fuzzer.
/// </summary>
public static class ReloadCodec
{
    /// <summary>
    /// Decodes one whole, unfragmented-or-fragment RELOAD message. The result's byte fields are
    /// slices of <paramref name="message"/>, so the caller must not change those bytes afterwards.
    /// </summary>
    public static DecodeResult<ReloadMessage> Decode(ReadOnlyMemory<byte> message, DecodeOptions? options = null)
    {
        var r = new WireReader(message, options);
        if (!ForwardingHeader.TryRead(ref r, message.Length, out var header)
            || !MessageContents.TryRead(ref r, out var contents)
            || !SecurityBlock.TryRead(ref r, out var security))
            return DecodeResult<ReloadMessage>.Fail(r.Error!);
        if (!r.AtEnd)
            return DecodeResult<ReloadMessage>.Fail(new DecodeError("message", r.Position, $"{r.Remaining} bytes left over after the security block", "6.3"));
        return DecodeResult<ReloadMessage>.Ok(new ReloadMessage(header, contents, security));
    }

    /// <summary>Decodes a copy of <paramref name="message"/>, for callers that will reuse their buffer.</summary>
    public static DecodeResult<ReloadMessage> DecodeCopy(ReadOnlySpan<byte> message, DecodeOptions? options = null) =>
        Decode(message.ToArray(), options);

    public static byte[] Encode(ReloadMessage message, WireEdits? edits = null)
    {
        if (edits is { IsEmpty: false })
        {
            var w = new WireWriter(256, edits);
            Write(w, message);
            return w.ToArray();
        }
        // The plain path runs for every message a peer sends: each thread reuses one writer (its
        // buffer and frames) instead of allocating them anew; the bytes returned are a copy.
        var writer = t_spareWriter ?? new WireWriter(256);
        t_spareWriter = null; // taken: an Encode nested inside this one makes its own
        try
        {
            writer.Reset();
            Write(writer, message);
            return writer.ToArray();
        }
        finally
        {
            t_spareWriter = writer;
        }
    }

    [ThreadStatic] private static WireWriter? t_spareWriter;

    /// <summary>Encodes and returns the field map: every field's path, offset, length and value.</summary>
    public static FieldNode FieldMap(ReloadMessage message, WireEdits? edits = null)
    {
        var w = new WireWriter(256, edits, buildFieldMap: true);
        Write(w, message);
        return w.FieldMap!;
    }

    internal static void Write(WireWriter w, ReloadMessage message)
    {
        int start = w.Position;
        var length = message.Header.Write(w);
        message.Contents.Write(w);
        message.Security.Write(w);
        w.Fill(length, w.Position - start);
    }

    /// <summary>
    /// The bytes a message signature covers (§6.3.4): overlay || transaction_id || MessageContents || SignerIdentity.
    /// </summary>
    public static byte[] SignatureInput(ReloadMessage message, SignerIdentity identity)
    {
        var w = new WireWriter(256);
        w.U32("overlay", message.Header.Overlay);
        w.U64("transaction_id", message.Header.TransactionId);
        message.Contents.Write(w);
        identity.Write(w);
        return w.ToArray();
    }
}
