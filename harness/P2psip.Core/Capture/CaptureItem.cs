namespace P2psip.Capture;

/// <summary>What a capture item is.</summary>
public enum CaptureItemKind
{
    /// <summary>A RELOAD message: the payload of a DATA frame, or an unframed message.</summary>
    Message,
    /// <summary>A framing ACK (§6.6.2).</summary>
    Ack,
    /// <summary>Bytes of a stream that are not a frame or a message, or bytes missing from the capture, with why.</summary>
    Skipped,
}

/// <summary>
/// One thing found in a capture, in capture order: a message, an ACK, or a run of bytes that could
/// not be parsed (nothing is dropped without one of these). <see cref="Message"/> is a slice of the
/// decoder's buffers: valid until the next item is read; copy it to keep it.
/// </summary>
public sealed class CaptureItem
{
    public CaptureItemKind Kind { get; init; }
    /// <summary>The packet that completed the item (1-based, as Wireshark numbers frames).</summary>
    public int FrameNumber { get; init; }
    public long TimestampMicros { get; init; }
    public required CaptureStream Stream { get; init; }
    /// <summary>Where the item starts in its stream (bytes since the stream's first captured byte).</summary>
    public long StreamOffset { get; init; }
    public CaptureFraming Framing { get; init; }
    /// <summary>DATA: the frame's sequence; ACK: ack_sequence.</summary>
    public uint Sequence { get; init; }
    /// <summary>ACK: the received bitmask.</summary>
    public uint Received { get; init; }
    /// <summary>The RELOAD message bytes (Message only).</summary>
    public ReadOnlyMemory<byte> Message { get; init; }
    /// <summary>Skipped only: how many bytes.</summary>
    public long SkippedBytes { get; init; }
    /// <summary>Skipped only: why they could not be parsed.</summary>
    public string? Reason { get; init; }

    public DateTimeOffset Timestamp => DateTimeOffset.UnixEpoch.AddTicks(TimestampMicros * 10);

    public override string ToString() => Kind switch
    {
        CaptureItemKind.Message => $"frame {FrameNumber} {Stream}: {(Framing == CaptureFraming.Framed ? $"DATA sequence {Sequence}" : "unframed")} message of {Message.Length} bytes",
        CaptureItemKind.Ack => $"frame {FrameNumber} {Stream}: ACK of sequence {Sequence}",
        _ => $"frame {FrameNumber} {Stream}: {SkippedBytes} bytes skipped at stream offset {StreamOffset}: {Reason}",
    };
}
