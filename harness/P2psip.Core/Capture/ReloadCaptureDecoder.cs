namespace P2psip.Capture;

/// <summary>
/// Streams the RELOAD items of a capture: packets are read one at a time, TCP to or from a RELOAD
/// port is put back in order per direction (retransmissions dropped, out-of-order segments held up
/// to <see cref="MaxPendingBytes"/> per direction, beyond which the gap is reported as missing
/// bytes), and each direction's bytes go through a <see cref="ReloadStreamScanner"/>: framed (§6.6.2)
/// or unframed messages, detected per message, and skipped runs reported with their reason. Each UDP
/// datagram is scanned on its own. Memory is bounded by the open streams' incomplete units and
/// pending segments (<see cref="BufferedBytes"/>), not by the size of the capture.
/// </summary>
public sealed class ReloadCaptureDecoder
{
    /// <summary>Out-of-order bytes held per direction while waiting for a gap to fill.</summary>
    public const int MaxPendingBytes = 1 << 20;

    private readonly PcapFileReader _reader;
    private readonly Func<ushort, bool> _isReloadPort;
    private readonly int _maxMessageSize;
    private readonly Dictionary<(CaptureEndpoint, CaptureEndpoint, CaptureTransport), Direction> _streams = [];
    private readonly List<CaptureItem> _items = [];
    private int _nextStreamId = 1;
    private bool _used;

    /// <param name="reader">The capture, positioned at its first packet.</param>
    /// <param name="isReloadPort">Which TCP and UDP ports carry RELOAD (either end of a flow).</param>
    /// <param name="maxMessageSize">Largest frame or unframed message accepted (framing allows 2^24-1).</param>
    public ReloadCaptureDecoder(PcapFileReader reader, Func<ushort, bool> isReloadPort, int maxMessageSize = 0xFF_FFFF)
    {
        _reader = reader;
        _isReloadPort = isReloadPort;
        _maxMessageSize = maxMessageSize;
    }

    public ReloadCaptureDecoder(PcapFileReader reader, ushort port = PcapCaptureWriter.ReloadPort)
        : this(reader, p => p == port) { }

    /// <summary>Bytes held now for incomplete units and out-of-order segments, over every open stream.</summary>
    public long BufferedBytes { get; private set; }

    /// <summary>The most <see cref="BufferedBytes"/> has been during the run.</summary>
    public long PeakBufferedBytes { get; private set; }

    /// <summary>Streams seen so far (directions of TCP connections, UDP source/destination pairs).</summary>
    public int StreamsSeen => _nextStreamId - 1;

    /// <summary>Streams open now (closed TCP directions are forgotten).</summary>
    public int OpenStreams => _streams.Count;

    public long Messages { get; private set; }
    public long Acks { get; private set; }
    public long SkippedBytes { get; private set; }
    public int SkippedRuns { get; private set; }
    public int PacketsRead => _reader.PacketsRead;

    /// <summary>
    /// The items in capture order. Enumerate once. An item's bytes are valid until the next item is read.
    /// </summary>
    /// <exception cref="CaptureFileException">The file breaks off or is damaged (items before it have been returned).</exception>
    public IEnumerable<CaptureItem> Items()
    {
        if (_used) throw new InvalidOperationException("the items of a capture can be read once");
        _used = true;
        int lastFrame = 0;
        long lastTime = 0;
        while (_reader.TryReadPacket(out var packet))
        {
            lastFrame = packet.Number;
            lastTime = packet.TimestampMicros;
            Process(packet);
            if (_items.Count == 0) continue;
            foreach (var item in _items) yield return Counted(item);
            _items.Clear();
        }
        // End of capture: fill what gaps remain by declaring them lost, then report what is left.
        foreach (var stream in _streams.Values.OrderBy(s => s.Info.Id))
            stream.Close(lastFrame, lastTime, _items);
        _streams.Clear();
        UpdateBuffered(-BufferedBytes);
        foreach (var item in _items) yield return Counted(item);
        _items.Clear();
    }

    private CaptureItem Counted(CaptureItem item)
    {
        switch (item.Kind)
        {
            case CaptureItemKind.Message: Messages++; break;
            case CaptureItemKind.Ack: Acks++; break;
            default: SkippedBytes += item.SkippedBytes; SkippedRuns++; break;
        }
        return item;
    }

    private void Process(in CapturedPacket packet)
    {
        if (!TransportSegment.TryParse(packet.LinkType, packet.Data.Span, out var segment)) return;
        bool toServer = _isReloadPort(segment.Destination.Port);
        if (!toServer && !_isReloadPort(segment.Source.Port)) return;
        var key = (segment.Source, segment.Destination, segment.Transport);
        var payload = packet.Data.Slice(segment.PayloadOffset, segment.PayloadLength);

        if (segment.Transport == CaptureTransport.Udp)
        {
            var stream = Get(key, segment, toServer);
            stream.Scanner.Push(payload, packet.Number, packet.TimestampMicros, _items);
            stream.Scanner.Finish(packet.Number, packet.TimestampMicros, _items, "the datagram");
            return;
        }

        if (segment.IsSyn && _streams.TryGetValue(key, out var previous))
        {
            // A new connection on the same addresses and ports: the old one is over.
            long held = previous.Held;
            previous.Close(packet.Number, packet.TimestampMicros, _items);
            UpdateBuffered(-held);
            _streams.Remove(key);
        }
        var direction = Get(key, segment, toServer);
        long before = direction.Held;
        direction.Accept(segment, payload, packet.Number, packet.TimestampMicros, _items);
        if (segment.IsFin || segment.IsRst)
        {
            direction.Close(packet.Number, packet.TimestampMicros, _items);
            _streams.Remove(key);
            UpdateBuffered(-before);
        }
        else
        {
            UpdateBuffered(direction.Held - before);
        }
    }

    private void UpdateBuffered(long delta)
    {
        BufferedBytes += delta;
        if (BufferedBytes > PeakBufferedBytes) PeakBufferedBytes = BufferedBytes;
    }

    private Direction Get((CaptureEndpoint, CaptureEndpoint, CaptureTransport) key, in TransportSegment segment, bool toServer)
    {
        if (!_streams.TryGetValue(key, out var stream))
        {
            var info = new CaptureStream(_nextStreamId++, segment.Transport, segment.Source, segment.Destination,
                toServer ? FlowDirection.ToServer : FlowDirection.ToClient);
            _streams[key] = stream = new Direction(info, new ReloadStreamScanner(info, _maxMessageSize));
        }
        return stream;
    }

    /// <summary>One direction of a TCP connection (or a UDP pair): its byte order and its scanner.</summary>
    private sealed class Direction(CaptureStream info, ReloadStreamScanner scanner)
    {
        public CaptureStream Info { get; } = info;
        public ReloadStreamScanner Scanner { get; } = scanner;
        private bool _started;
        private uint _nextSequence;
        /// <summary>Out-of-order segments by stream offset.</summary>
        private SortedDictionary<long, byte[]>? _pending;
        private int _pendingBytes;

        public long Held => Scanner.Buffered + _pendingBytes;

        public void Accept(in TransportSegment segment, ReadOnlyMemory<byte> payload, int frame, long time, List<CaptureItem> items)
        {
            if (segment.IsSyn)
            {
                _started = true;
                _nextSequence = segment.Sequence + 1; // the SYN takes one sequence number
                payload = ReadOnlyMemory<byte>.Empty; // data on a SYN is not delivered before the handshake
            }
            if (payload.IsEmpty) return;
            if (!_started)
            {
                // The capture began after the handshake.
                _started = true;
                _nextSequence = segment.Sequence;
                Scanner.StartMidStream();
            }
            int ahead = (int)(segment.Sequence - _nextSequence);
            if (ahead > 0)
            {
                // A gap: hold the segment until the missing bytes come, within a bound.
                long at = Scanner.Offset + ahead;
                _pending ??= [];
                if (!_pending.ContainsKey(at))
                {
                    _pending[at] = payload.ToArray();
                    _pendingBytes += payload.Length;
                }
                while (_pendingBytes > MaxPendingBytes) SkipGap(frame, time, items);
                return;
            }
            Deliver(payload, -ahead, frame, time, items);
            Drain(frame, time, items);
        }

        /// <summary>Delivers the part of a segment after <paramref name="already"/> bytes the stream has had.</summary>
        private void Deliver(ReadOnlyMemory<byte> payload, int already, int frame, long time, List<CaptureItem> items)
        {
            if (already >= payload.Length) return; // a retransmission
            var fresh = payload[already..];
            _nextSequence += (uint)fresh.Length;
            Scanner.Push(fresh, frame, time, items);
        }

        private void Drain(int frame, long time, List<CaptureItem> items)
        {
            while (_pending is { Count: > 0 })
            {
                var (at, bytes) = _pending.First();
                long ahead = at - Scanner.Offset;
                if (ahead > 0) return;
                _pending.Remove(at);
                _pendingBytes -= bytes.Length;
                Deliver(bytes, (int)Math.Min(int.MaxValue, -ahead), frame, time, items);
            }
        }

        /// <summary>Gives up on the first gap: its bytes are reported missing and the stream goes on after it.</summary>
        private void SkipGap(int frame, long time, List<CaptureItem> items)
        {
            var at = _pending!.First().Key;
            long missing = at - Scanner.Offset;
            Scanner.Lost(missing, frame, time, items);
            _nextSequence += (uint)missing;
            Drain(frame, time, items);
        }

        public void Close(int frame, long time, List<CaptureItem> items)
        {
            while (_pending is { Count: > 0 }) SkipGap(frame, time, items);
            Scanner.Finish(frame, time, items);
        }
    }
}
