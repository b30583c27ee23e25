using P2psip.Wire;

namespace P2psip.Framing;

/// <summary>
/// The framing header of stream and datagram links (§6.6.2):
/// <code>
///   enum { data(128), ack(129), (255) } FramedMessageType;
///   struct {
///     FramedMessageType type;
///     select (type) {
///       case data: uint32 sequence; opaque message&lt;0..2^24-1&gt;;
///       case ack:  uint32 ack_sequence; uint32 received;
///     };
///   } FramedMessage;
/// </code>
/// </summary>
public abstract record FramedMessage
{
    internal const string Rfc = "6.6.2";
    public const byte DataType = 128, AckType = 129;
    /// <summary>type + sequence + 24-bit length.</summary>
    public const int DataHeaderSize = 8;
    public const int AckSize = 9;

    public static string? TypeName(ulong t) => t switch { 128 => "data", 129 => "ack", _ => null };

    internal abstract void Write(WireWriter w);

    public byte[] Encode(WireEdits? edits = null)
    {
        var w = new WireWriter(this is DataFrame d ? d.Message.Length + DataHeaderSize : AckSize, edits);
        Write(w);
        return w.ToArray();
    }

    public static FieldNode FieldMap(FramedMessage frame, WireEdits? edits = null)
    {
        var w = new WireWriter(64, edits, buildFieldMap: true);
        frame.Write(w);
        return w.FieldMap!;
    }

    /// <summary>Decodes exactly one frame that fills <paramref name="bytes"/>.</summary>
    public static DecodeResult<FramedMessage> Decode(ReadOnlyMemory<byte> bytes)
    {
        var r = new WireReader(bytes);
        if (!TryRead(ref r, out var frame)) return DecodeResult<FramedMessage>.Fail(r.Error!);
        if (!r.AtEnd)
            return DecodeResult<FramedMessage>.Fail(new DecodeError("framed_message", r.Position, $"{r.Remaining} bytes left over after the frame", Rfc));
        return DecodeResult<FramedMessage>.Ok(frame);
    }

    internal static bool TryRead(ref WireReader r, out FramedMessage frame)
    {
        frame = null!;
        int at = r.Position;
        if (!r.U8("type", Rfc, out var type)) return r.Nest("framed_message");
        switch (type)
        {
            case DataType:
                if (!r.U32("sequence", Rfc, out var sequence) || !r.Vector("message", 3, Rfc, out var message))
                    return r.Nest("framed_message");
                frame = new DataFrame(sequence, message);
                return true;
            case AckType:
                if (!r.U32("ack_sequence", Rfc, out var ackSequence) || !r.U32("received", Rfc, out var received))
                    return r.Nest("framed_message");
                frame = new AckFrame(ackSequence, received);
                return true;
            default:
                return r.Reject("type", at, $"framed message type must be data(128) or ack(129), got {type}", Rfc) || r.Nest("framed_message");
        }
    }
}

/// <summary>A DATA frame carrying one RELOAD message (or fragment).</summary>
public sealed record DataFrame(uint Sequence, Wire.Opaque Message) : FramedMessage
{
    internal override void Write(WireWriter w)
    {
        w.Begin("framed_message");
        w.U8("type", DataType, FieldKind.Enum, TypeName);
        w.U32("sequence", Sequence);
        w.Vector("message", 3, Message.Span);
        w.End();
    }
}

/// <summary>
/// An ACK frame (§6.6.2): the sequence acknowledged, and a bitmask in which bit N-M is set when
/// sequence M (N-32 &lt; M &lt; N) was among the 32 frames most recently received.
/// </summary>
public sealed record AckFrame(uint AckSequence, uint Received) : FramedMessage
{
    internal override void Write(WireWriter w)
    {
        w.Begin("framed_message");
        w.U8("type", AckType, FieldKind.Enum, TypeName);
        w.U32("ack_sequence", AckSequence);
        w.U32("received", Received);
        w.End();
    }
}
