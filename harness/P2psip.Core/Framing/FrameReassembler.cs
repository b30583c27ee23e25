using P2psip.Wire;

namespace P2psip.Framing;

/// <summary>
/// Cuts a byte stream (TLS over TCP, §6.6.5) into FramedMessages, whatever the chunking: bytes may
/// arrive one at a time or many frames at once. A frame that cannot be valid (an unknown type) is
/// reported as an error, after which the stream is unusable, as the RFC gives no way to resynchronise.
/// A declared DATA length above <see cref="MaxMessageSize"/> is refused before any of it is buffered:
/// by default as an error that ends the stream; with <c>skipOversize</c> the frame's bytes are
/// discarded as they come (never buffered), counted in <see cref="OversizeSkipped"/>, and the
/// stream goes on with the next frame (what a link does, so one big frame costs no memory and no link).
/// </summary>
public sealed class FrameReassembler
{
    private byte[] _buf = new byte[4096];
    private int _len;
    /// <summary>Stream offset of <c>_buf[0]</c>: bytes already cut into frames, so errors give offsets in the stream.</summary>
    private long _consumedBefore;

    private readonly bool _skipOversize;
    /// <summary>Bytes of an oversized frame still to discard.</summary>
    private long _skip;

    public FrameReassembler(int maxMessageSize = 0xFF_FFFF, bool skipOversize = false)
    {
        MaxMessageSize = maxMessageSize;
        _skipOversize = skipOversize;
    }

    /// <summary>Oversized DATA frames discarded (with <c>skipOversize</c>).</summary>
    public long OversizeSkipped { get; private set; }

    /// <summary>The last oversized frame discarded, in words, with its stream offset.</summary>
    public DecodeError? LastOversize { get; private set; }

    /// <summary>Largest DATA payload accepted (the overlay's max-message-size, at most 2^24-1).</summary>
    public int MaxMessageSize { get; }

    /// <summary>Set once the stream has failed; no more frames come out after it.</summary>
    public DecodeError? Error { get; private set; }

    /// <summary>Bytes received and not yet part of a whole frame.</summary>
    public int Buffered => _len;

    /// <summary>Adds bytes from the stream and returns every frame they complete, in order.</summary>
    public IReadOnlyList<FramedMessage> Push(ReadOnlySpan<byte> chunk)
    {
        if (Error is not null) return [];
        if (_skip > 0)
        {
            int discard = (int)Math.Min(_skip, chunk.Length);
            _skip -= discard;
            _consumedBefore += discard;
            chunk = chunk[discard..];
            if (chunk.IsEmpty) return [];
        }
        if (_len + chunk.Length > _buf.Length)
            Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + chunk.Length));
        chunk.CopyTo(_buf.AsSpan(_len));
        _len += chunk.Length;

        List<FramedMessage>? frames = null;
        int consumed = 0;
        while (true)
        {
            int need = NeededFor(_buf.AsSpan(consumed, _len - consumed), (int)Math.Min(int.MaxValue, _consumedBefore + consumed));
            if (need == SkipFrame)
            {
                long whole = FramedMessage.DataHeaderSize + (long)_oversizeLength;
                long available = _len - consumed;
                OversizeSkipped++;
                if (available >= whole) { consumed += (int)whole; continue; }
                _skip = whole - available;
                consumed = _len;
                break;
            }
            if (need < 0 || _len - consumed < need) break;
            // Copy out so frames stay valid after the buffer is reused.
            var decoded = FramedMessage.Decode(_buf.AsSpan(consumed, need).ToArray());
            if (!decoded.IsSuccess) { Error = decoded.Error; break; }
            (frames ??= []).Add(decoded.Value);
            consumed += need;
        }
        if (consumed > 0)
        {
            Buffer.BlockCopy(_buf, consumed, _buf, 0, _len - consumed);
            _len -= consumed;
            _consumedBefore += consumed;
        }
        return (IReadOnlyList<FramedMessage>?)frames ?? [];
    }

    private const int SkipFrame = -2;
    private int _oversizeLength;

    /// <summary>The whole size of the frame at the head of <paramref name="head"/>, or -1 if not yet known (or on error).</summary>
    private int NeededFor(ReadOnlySpan<byte> head, int streamOffset)
    {
        if (head.Length < 1) return -1;
        switch (head[0])
        {
            case FramedMessage.AckType:
                return FramedMessage.AckSize;
            case FramedMessage.DataType:
                if (head.Length < FramedMessage.DataHeaderSize) return -1;
                int length = head[5] << 16 | head[6] << 8 | head[7];
                if (length > MaxMessageSize)
                {
                    var refusal = new DecodeError("framed_message.message.length", streamOffset + 5,
                        $"frame of {length} bytes exceeds the maximum message size {MaxMessageSize}", "6.6.2");
                    if (!_skipOversize)
                    {
                        Error = refusal;
                        return -1;
                    }
                    LastOversize = refusal;
                    _oversizeLength = length;
                    return SkipFrame;
                }
                return FramedMessage.DataHeaderSize + length;
            default:
                Error = new DecodeError("framed_message.type", streamOffset, $"framed message type must be data(128) or ack(129), got {head[0]}", FramedMessage.Rfc);
                return -1;
        }
    }
}
