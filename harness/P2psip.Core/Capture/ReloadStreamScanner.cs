using System.Buffers.Binary;
using P2psip.Framing;
using P2psip.Messages;

namespace P2psip.Capture;

/// <summary>
/// Cuts one stream's bytes into RELOAD items, whatever the chunking, in bounded memory. Each unit is
/// recognised by its first byte: data(128) or ack(129) start a frame (§6.6.2), the RELO token
/// 0xd2454c4f starts an unframed message delimited by its forwarding header's length (§6.3.2), as
/// draft-era peers send. Anything else starts a run of skipped bytes, which ends at the next place a
/// frame or message can start (a DATA header whose length matches the message's, or the token with
/// a plausible length); the run is reported with its size and the reason it began. Only an incomplete
/// unit is buffered, so the buffer never exceeds the largest allowed message plus one segment.
/// </summary>
internal sealed class ReloadStreamScanner
{
    private static ReadOnlySpan<byte> Token => [0xd2, 0x45, 0x4c, 0x4f];

    /// <summary>A DATA header (8 bytes) and a forwarding header up to its length field (20 bytes): enough to judge a sync point.</summary>
    private const int SyncLookahead = FramedMessage.DataHeaderSize + 20;

    private readonly CaptureStream _stream;
    private readonly int _maxMessageSize;
    private byte[] _buf = [];
    private int _head, _len;
    /// <summary>The packet whose items point into <c>_buf</c>: until the next packet, <c>_buf</c> is not overwritten.</summary>
    private int _pinnedBy = -1;
    /// <summary>Stream offset of the first byte not yet consumed (of <c>_buf[_head]</c> when buffered).</summary>
    private long _offset;

    private bool _skipping;
    private long _skipStart, _skipCount;
    private string? _skipReason;

    public ReloadStreamScanner(CaptureStream stream, int maxMessageSize)
    {
        _stream = stream;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>Bytes held waiting for the rest of a unit (or for a possible sync point).</summary>
    public int Buffered => _len;

    /// <summary>Stream offset of the next byte expected.</summary>
    public long Offset => _offset + _len;

    /// <summary>
    /// Scans <paramref name="data"/> (the bytes that follow those pushed before) and adds what it
    /// completes to <paramref name="items"/>. Their bytes stay valid until the next call.
    /// </summary>
    public void Push(ReadOnlyMemory<byte> data, int frameNumber, long timestamp, List<CaptureItem> items)
    {
        if (data.IsEmpty) return;
        ReadOnlyMemory<byte> view;
        if (_len == 0)
        {
            // The common case: whole units in one segment are read where they are, without a copy.
            view = data;
        }
        else
        {
            // Items of an earlier packet may point into _buf, but they are no longer in use: compact in
            // place. Items of this packet still are: move to a new buffer instead.
            bool pinned = _pinnedBy == frameNumber;
            if (pinned || _len + data.Length > _buf.Length)
            {
                var bigger = new byte[Math.Max(_len + data.Length, Math.Min(Math.Max(_buf.Length * 2, 4096), _maxMessageSize + 64 * 1024))];
                Buffer.BlockCopy(_buf, _head, bigger, 0, _len);
                _buf = bigger;
            }
            else if (_head > 0)
            {
                Buffer.BlockCopy(_buf, _head, _buf, 0, _len);
            }
            _head = 0;
            data.Span.CopyTo(_buf.AsSpan(_len));
            _len += data.Length;
            view = _buf.AsMemory(0, _len);
        }
        int before = items.Count;
        int consumed = Scan(view, frameNumber, timestamp, items);
        if (_len > 0 && items.Count > before) _pinnedBy = frameNumber;
        int left = view.Length - consumed;
        _offset += consumed;
        if (left == 0)
        {
            _len = 0;
            _head = 0;
            // Do not keep a large buffer for a stream that no longer needs it.
            if (_buf.Length > 64 * 1024) _buf = [];
        }
        else if (_len == 0)
        {
            if (_buf.Length < left || _pinnedBy == frameNumber) _buf = new byte[Math.Max(left, 4096)];
            data.Span[consumed..].CopyTo(_buf);
            _head = 0;
            _len = left;
        }
        else
        {
            _head = consumed;
            _len = left;
        }
    }

    /// <summary>
    /// <paramref name="count"/> bytes of the stream are missing from the capture: what was buffered is
    /// dropped, reported with the gap, and scanning resynchronises after it.
    /// </summary>
    public void Lost(long count, int frameNumber, long timestamp, List<CaptureItem> items)
    {
        long dropped = _len + (_skipping ? _skipCount : 0);
        long start = _skipping ? _skipStart : _offset;
        string reason = dropped > 0
            ? $"{count} bytes missing from the capture (segments not captured); the {dropped} bytes before the gap could not be completed"
            : $"{count} bytes missing from the capture (segments not captured)";
        Report(start, count + dropped, reason, frameNumber, timestamp, items);
        _offset += _len + count;
        _len = 0;
        _head = 0;
        StartSkipping("resynchronising after bytes missing from the capture", 0);
    }

    /// <summary>The capture joins the stream after its start: resynchronise on the first unit.</summary>
    public void StartMidStream() => StartSkipping("the capture starts in the middle of the connection", 0);

    /// <summary>The stream (or datagram) ends: anything left is reported.</summary>
    public void Finish(int frameNumber, long timestamp, List<CaptureItem> items, string where = "the stream")
    {
        if (_skipping)
        {
            if (_skipCount + _len > 0) Report(_skipStart, _skipCount + _len, _skipReason!, frameNumber, timestamp, items);
        }
        else if (_len > 0)
        {
            var rest = _buf.AsSpan(_head, _len);
            Report(_offset, _len, $"{where} ends inside a {UnitName(rest)}: {_len} bytes of {Describe(rest)}", frameNumber, timestamp, items);
        }
        _offset += _len;
        _len = 0;
        _head = 0;
        _skipping = false;
        _skipCount = 0;
    }

    private int Scan(ReadOnlyMemory<byte> memory, int frameNumber, long timestamp, List<CaptureItem> items)
    {
        var span = memory.Span;
        int p = 0;
        while (p < span.Length)
        {
            if (_skipping)
            {
                int sync = FindSync(span, p, out bool needMore);
                if (sync < 0)
                {
                    // Keep only what could be the start of a sync point.
                    int keep = needMore ? span.Length - FirstUndecided(span, p) : Math.Min(span.Length - p, SyncLookahead - 1);
                    int skip = span.Length - p - keep;
                    _skipCount += skip;
                    return span.Length - keep;
                }
                _skipCount += sync - p;
                if (_skipCount > 0) Report(_skipStart, _skipCount, _skipReason!, frameNumber, timestamp, items);
                _skipping = false;
                _skipCount = 0;
                p = sync;
                continue;
            }

            int available = span.Length - p;
            byte first = span[p];
            if (first == FramedMessage.DataType)
            {
                if (available < FramedMessage.DataHeaderSize) break;
                int length = span[p + 5] << 16 | span[p + 6] << 8 | span[p + 7];
                if (length > _maxMessageSize)
                {
                    StartSkipping($"DATA frame of {length} bytes exceeds the maximum message size {_maxMessageSize} (RFC 6940 §6.6.2)", p);
                    p++;
                    _skipCount = 1;
                    continue;
                }
                if (available < FramedMessage.DataHeaderSize + length) break;
                items.Add(new CaptureItem
                {
                    Kind = CaptureItemKind.Message, FrameNumber = frameNumber, TimestampMicros = timestamp, Stream = _stream,
                    StreamOffset = _offset + p, Framing = CaptureFraming.Framed,
                    Sequence = BinaryPrimitives.ReadUInt32BigEndian(span[(p + 1)..]),
                    Message = memory.Slice(p + FramedMessage.DataHeaderSize, length),
                });
                Count(CaptureFraming.Framed);
                p += FramedMessage.DataHeaderSize + length;
            }
            else if (first == FramedMessage.AckType)
            {
                if (available < FramedMessage.AckSize) break;
                items.Add(new CaptureItem
                {
                    Kind = CaptureItemKind.Ack, FrameNumber = frameNumber, TimestampMicros = timestamp, Stream = _stream,
                    StreamOffset = _offset + p, Framing = CaptureFraming.Framed,
                    Sequence = BinaryPrimitives.ReadUInt32BigEndian(span[(p + 1)..]),
                    Received = BinaryPrimitives.ReadUInt32BigEndian(span[(p + 5)..]),
                });
                _stream.Framing ??= CaptureFraming.Framed;
                p += FramedMessage.AckSize;
            }
            else if (first == Token[0])
            {
                int check = Math.Min(available, 4);
                if (!span.Slice(p, check).SequenceEqual(Token[..check]))
                {
                    StartSkipping($"bytes {Hex(span.Slice(p, check))} are neither a framed message (type 128 or 129) nor the RELO token 0xd2454c4f (RFC 6940 §6.6.2, §6.3.2)", p);
                    p++;
                    _skipCount = 1;
                    continue;
                }
                if (available < 20) break;
                uint length = BinaryPrimitives.ReadUInt32BigEndian(span[(p + 16)..]);
                if (length < ForwardingHeader.FixedSize || length > _maxMessageSize)
                {
                    StartSkipping($"unframed message with forwarding_header.length {length}, outside {ForwardingHeader.FixedSize}..{_maxMessageSize} (RFC 6940 §6.3.2)", p);
                    p++;
                    _skipCount = 1;
                    continue;
                }
                if (available < length) break;
                items.Add(new CaptureItem
                {
                    Kind = CaptureItemKind.Message, FrameNumber = frameNumber, TimestampMicros = timestamp, Stream = _stream,
                    StreamOffset = _offset + p, Framing = CaptureFraming.Unframed,
                    Message = memory.Slice(p, (int)length),
                });
                Count(CaptureFraming.Unframed);
                p += (int)length;
            }
            else
            {
                StartSkipping($"byte 0x{first:x2} is neither a framed message type (128 data, 129 ack) nor the start of the RELO token 0xd2454c4f (RFC 6940 §6.6.2, §6.3.2)", p);
                p++;
                _skipCount = 1;
            }
        }
        return p;
    }

    private void Count(CaptureFraming framing)
    {
        _stream.Framing ??= framing;
        _stream.Messages++;
    }

    private void StartSkipping(string reason, int at)
    {
        _skipping = true;
        _skipReason = reason;
        _skipStart = _offset + at;
        _skipCount = 0;
    }

    /// <summary>
    /// The first position at or after <paramref name="from"/> where a unit can start: a DATA header
    /// whose 24-bit length equals the forwarding header's length of the message it holds, or the
    /// token followed by a plausible length. -1 when there is none yet; <paramref name="needMore"/>
    /// when a candidate waits for more bytes.
    /// </summary>
    private int FindSync(ReadOnlySpan<byte> span, int from, out bool needMore)
    {
        needMore = false;
        int search = from;
        while (true)
        {
            int found = span[search..].IndexOf(Token);
            if (found < 0) return -1;
            int t = search + found;
            if (t + 20 > span.Length)
            {
                needMore = true;
                return -1;
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(span[(t + 16)..]);
            if (t - FramedMessage.DataHeaderSize >= from && span[t - FramedMessage.DataHeaderSize] == FramedMessage.DataType
                && (uint)(span[t - 3] << 16 | span[t - 2] << 8 | span[t - 1]) == length && length >= ForwardingHeader.FixedSize)
                return t - FramedMessage.DataHeaderSize;
            if (length >= ForwardingHeader.FixedSize && length <= _maxMessageSize) return t;
            search = t + 1;
        }
    }

    /// <summary>Where the undecided candidate (a token without its length yet) begins, including a DATA header before it.</summary>
    private static int FirstUndecided(ReadOnlySpan<byte> span, int from)
    {
        int t = span[from..].IndexOf(Token) + from;
        return Math.Max(from, t - FramedMessage.DataHeaderSize);
    }

    private void Report(long start, long count, string reason, int frameNumber, long timestamp, List<CaptureItem> items)
    {
        _stream.SkippedBytes += count;
        _stream.SkippedRuns++;
        items.Add(new CaptureItem
        {
            Kind = CaptureItemKind.Skipped, FrameNumber = frameNumber, TimestampMicros = timestamp, Stream = _stream,
            StreamOffset = start, SkippedBytes = count, Reason = reason,
        });
    }

    private static string UnitName(ReadOnlySpan<byte> head) => head[0] switch
    {
        FramedMessage.DataType => "DATA frame",
        FramedMessage.AckType => "ACK frame",
        _ => "message",
    };

    private static string Describe(ReadOnlySpan<byte> head)
    {
        if (head[0] == FramedMessage.DataType && head.Length >= FramedMessage.DataHeaderSize)
            return $"{FramedMessage.DataHeaderSize + (head[5] << 16 | head[6] << 8 | head[7])}";
        if (head[0] == FramedMessage.AckType) return $"{FramedMessage.AckSize}";
        if (head.Length >= 20 && head[0] == Token[0]) return $"{BinaryPrimitives.ReadUInt32BigEndian(head[16..])}";
        return "an unknown size";
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
