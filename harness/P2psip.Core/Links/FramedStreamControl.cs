using System.Threading.Channels;
using P2psip.Framing;
using P2psip.Wire;

namespace P2psip.Links;

/// <summary>
/// Frame-level access to a framed stream link (§6.6.2 framing, §6.6.3 its ACKs, §6.6.5 over TLS),
/// for the framing conformance cases: write any DATA or ACK frame (chosen sequence numbers, wrong
/// lengths through <see cref="WireEdits"/>) or raw stream bytes, stop answering DATA with ACKs and
/// forge ACKs instead, choose the next sequence number, and read the frames the far end sends
/// (DATA and ACK) as they arrive. Everything written goes through the link's write lock, so a raw
/// write never lands inside a message. Messages sent the normal way still go through the pipeline.
/// </summary>
public sealed class FramedStreamControl
{
    private readonly StreamLink _link;
    private Channel<FramedMessage>? _observed;
    private uint _nextSequence;
    private long _observedDrops;

    internal FramedStreamControl(StreamLink link) => _link = link;

    /// <summary>Whether each DATA frame received is answered at once with an ACK (§6.6.2, SHOULD). False suppresses them.</summary>
    public bool AutoAck { get; set; } = true;

    /// <summary>
    /// With <see cref="AutoAck"/>: hand each DATA frame's message on through the pipeline before its
    /// ACK is written, not after. A relay (the adversary's proxy) forwards from its pipeline, so
    /// the message does not wait behind the ACK's write; the ACK still follows at once (§6.6.2:
    /// the receiver SHOULD send it immediately). Off by default: a peer's answers follow the ACK.
    /// </summary>
    public bool AckAfterDelivery { get; set; }

    /// <summary>The sequence number the next message sent through the link gets; each message takes the next one.</summary>
    public uint NextSequence
    {
        get => Volatile.Read(ref _nextSequence);
        set => Volatile.Write(ref _nextSequence, value);
    }

    internal uint TakeSequence() => unchecked(Interlocked.Increment(ref _nextSequence) - 1);

    /// <summary>Writes <paramref name="frame"/> as it is (with <paramref name="edits"/>, wrong on purpose), outside the pipeline.</summary>
    public Task SendFrameAsync(FramedMessage frame, WireEdits? edits = null, CancellationToken cancel = default) =>
        _link.WriteRawAsync(frame.Encode(edits), cancel);

    /// <summary>Writes a DATA frame with a chosen sequence number; the link's own numbering is not moved.</summary>
    public Task SendDataAsync(uint sequence, ReadOnlyMemory<byte> message, CancellationToken cancel = default) =>
        SendFrameAsync(new DataFrame(sequence, new Opaque(message)), null, cancel);

    /// <summary>Writes an ACK frame: a true one for a DATA frame received with <see cref="AutoAck"/> off, or a forged one.</summary>
    public Task SendAckAsync(uint ackSequence, uint received, CancellationToken cancel = default) =>
        SendFrameAsync(new AckFrame(ackSequence, received), null, cancel);

    /// <summary>Writes bytes to the stream as they are (half a frame, garbage, two frames at once).</summary>
    public Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default) => _link.WriteRawAsync(bytes, cancel);

    /// <summary>
    /// Keeps each frame received (DATA and ACK) for <see cref="ReceiveFrameAsync"/>, up to
    /// <paramref name="capacity"/> waiting (beyond which they are dropped and counted). Call it
    /// before the link starts to see the first frame. DATA frames are still delivered as messages.
    /// </summary>
    public void ObserveFrames(int capacity = 1024) =>
        Interlocked.CompareExchange(ref _observed, Channel.CreateBounded<FramedMessage>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait }), null);

    /// <summary>Frames received while the observation queue was full.</summary>
    public long ObservedDrops => Interlocked.Read(ref _observedDrops);

    /// <summary>The next frame received, or null once the link has stopped reading.</summary>
    public async Task<FramedMessage?> ReceiveFrameAsync(CancellationToken cancel = default)
    {
        var observed = _observed ?? throw new InvalidOperationException("call ObserveFrames before the link starts");
        _link.Start();
        while (await observed.Reader.WaitToReadAsync(cancel).ConfigureAwait(false))
            if (observed.Reader.TryRead(out var frame)) return frame;
        return null;
    }

    internal void Observe(FramedMessage frame)
    {
        if (_observed is { } observed && !observed.Writer.TryWrite(frame)) Interlocked.Increment(ref _observedDrops);
    }

    internal void EndOfFrames() => _observed?.Writer.TryComplete();
}
