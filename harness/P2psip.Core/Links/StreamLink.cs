using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using P2psip.Framing;
using P2psip.Messages;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Links;

/// <summary>
/// RELOAD over a byte stream (TLS or plain TCP). Framed (§6.6.2, the "FH" of TLS-TCP-FH-NO-ICE):
/// each message is a DATA frame with the next sequence number, and each DATA frame received is
/// answered at once with an ACK carrying the received bitmask. Unframed (plaintext only, for peers
/// under test that have no framing): messages follow each other, cut by the forwarding header's length.
/// <see cref="Frames"/> gives the conformance suite the frames themselves (§6.6.2, §6.6.3, §6.6.5).
/// </summary>
public sealed class StreamLink : PipelinedLink
{
    private readonly Stream _stream;
    private readonly IDisposable? _owner;
    private readonly bool _framed;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CoalescingWriter _writes;
    private readonly ReceivedWindow _received = new();
    private Task _reader = Task.CompletedTask;

    internal StreamLink(Stream stream, TcpClient? tcp, string protocol, bool secure, bool framed, ReloadCertificate? peer, LinkLimits limits,
        LinkRole role, Opaque localNodeId)
        : base(new LinkInfo(protocol, secure, role, tcp?.Client.LocalEndPoint as IPEndPoint, tcp?.Client.RemoteEndPoint as IPEndPoint,
            localNodeId, LinkInfo.NodeIdOf(peer), peer), limits)
    {
        _stream = stream;
        _owner = tcp;
        _framed = framed;
        TlsVersion = stream is System.Net.Security.SslStream ssl ? ssl.SslProtocol.ToString() : null;
        Frames = new FramedStreamControl(this);
        _writes = new CoalescingWriter(stream, _writeLock, Closing);
    }

    /// <summary>The far end's Node-ID; settable (before start) on plaintext links, where no certificate says it.</summary>
    public new Opaque PeerNodeId
    {
        get => base.PeerNodeId;
        internal set => Describe(info => info with { RemoteNodeId = value });
    }

    internal void SetLocalNodeId(Opaque nodeId) => Describe(info => info with { LocalNodeId = nodeId });

    public int MaxMessageSize => Limits.MaxMessageSize;
    public bool IsFramed => _framed;
    /// <summary>The TLS version negotiated (Tls12, Tls13), or null on a plaintext link.</summary>
    public string? TlsVersion { get; }
    /// <summary>ACK frames received from the far side (framed links only).</summary>
    public long AcksReceived => Interlocked.Read(ref _acksReceived);
    private long _acksReceived;
    /// <summary>Why the link stopped reading, if it did for a reason other than an orderly close.</summary>
    public string? Failure { get; private set; }

    /// <summary>Frame-level access: raw bytes and frames out, ACK control, the frames received.</summary>
    public FramedStreamControl Frames { get; }

    protected override void StartReading() => _reader = Task.Run(ReadLoop);

    protected override ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancel)
    {
        // The sequence number is taken where the frame is queued, so frames go out in sequence order.
        byte[] Encode() => _framed ? new DataFrame(Frames.TakeSequence(), new Opaque(message)).Encode() : message.ToArray();
        // Inside a relay's delivery of one read: written with the read's other forwards, at its end.
        if (WriteBatch.Current is { } batch && batch.TryHold(_writes, Encode)) return ValueTask.CompletedTask;
        return new ValueTask(_writes.WriteAsync(Encode, cancel));
    }

    /// <summary>Writes bytes as they are, in the same queue as messages and ACKs, so nothing interleaves inside them.</summary>
    internal Task WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel) => _writes.WriteAsync(() => bytes.ToArray(), cancel);

    private async Task ReadLoop()
    {
        var buffer = new byte[16 * 1024];
        var frames = new FrameReassembler(MaxMessageSize, skipOversize: true);
        var pending = new MemoryStream();
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(buffer, Closing).ConfigureAwait(false);
                if (n == 0) break;
                if (_framed)
                {
                    long oversizeBefore = frames.OversizeSkipped;
                    Task? acks = null;
                    var batch = Frames.AutoAck && Frames.AckAfterDelivery ? WriteBatch.Open() : null;
                    foreach (var frame in frames.Push(buffer.AsSpan(0, n)))
                    {
                        Frames.Observe(frame);
                        if (frame is DataFrame data)
                        {
                            uint mask = _received.Add(data.Sequence);
                            if (!Frames.AutoAck) await DeliverAsync(data.Message.Memory).ConfigureAwait(false);
                            else if (Frames.AckAfterDelivery)
                            {
                                // Handed on first (a relay's forward is written now), the ACK after it: the ACKs
                                // for the frames of one read are queued and written together once they are all
                                // handed on (one TLS record instead of one per frame; still one ACK per DATA frame).
                                await DeliverAsync(data.Message.Memory).ConfigureAwait(false);
                                var ack = new AckFrame(data.Sequence, mask).Encode();
                                acks = _writes.Queue(() => ack);
                            }
                            else
                            {
                                await WriteRawAsync(new AckFrame(data.Sequence, mask).Encode(), Closing).ConfigureAwait(false);
                                await DeliverAsync(data.Message.Memory).ConfigureAwait(false);
                            }
                        }
                        else Interlocked.Increment(ref _acksReceived);
                    }
                    if (batch is not null) await batch.CloseAsync().ConfigureAwait(false);
                    if (acks is not null)
                    {
                        await _writes.FlushAsync().ConfigureAwait(false);
                        await acks.ConfigureAwait(false);
                    }
                    for (long i = oversizeBefore; i < frames.OversizeSkipped; i++) Counters.OversizeFrame();
                    if (frames.Error is { } error)
                    {
                        Failure = $"bad framing from the peer: {error}";
                        break;
                    }
                }
                else if (!await CutUnframed(pending, buffer.AsMemory(0, n)).ConfigureAwait(false))
                    break;
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            // Whatever the failure, the link ends here and says why: no exception type ends the loop silently (issue 11, defect 4).
            Failure = e.Message;
        }
        finally
        {
            Frames.EndOfFrames();
            EndOfInput();
        }
    }

    /// <summary>Cuts unframed messages by the forwarding header's length field (§6.3.2: bytes 16..19, the whole message's length).</summary>
    private async ValueTask<bool> CutUnframed(MemoryStream pending, ReadOnlyMemory<byte> chunk)
    {
        pending.Write(chunk.Span);
        while (true)
        {
            var bytes = pending.GetBuffer().AsMemory(0, (int)pending.Length);
            if (bytes.Length < 20) return true;
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes.Span[16..]);
            if (length < ForwardingHeader.FixedSize || length > MaxMessageSize)
            {
                Failure = $"unframed message length {length} is outside {ForwardingHeader.FixedSize}..{MaxMessageSize}";
                return false;
            }
            if (bytes.Length < length) return true;
            var message = bytes[..(int)length].ToArray();
            var rest = bytes[(int)length..].ToArray();
            pending.SetLength(0);
            pending.Write(rest);
            await DeliverAsync(message).ConfigureAwait(false);
        }
    }

    protected override async ValueTask CloseAsync()
    {
        if (IsAborting && _owner is TcpClient tcp)
        {
            // Linger on with a zero timeout: the close sends RST at once, no close_notify and no FIN.
            try
            {
                tcp.LingerState = new LingerOption(true, 0);
                tcp.Client.Close();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }
        else await CloseInOrder().ConfigureAwait(false);
        try { await _stream.DisposeAsync().ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        _owner?.Dispose();
        try { await _reader.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    /// <summary>TLS close_notify (RFC 8446 §6.1), then FIN: the far end reads an orderly end of the stream.</summary>
    private async Task CloseInOrder()
    {
        // Not in the middle of a message or ACK being written; a writer stuck longer is cut off.
        if (!await _writeLock.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false)) return;
        try
        {
            if (_stream is System.Net.Security.SslStream ssl)
                await ssl.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            if (_owner is TcpClient tcp && tcp.Connected) tcp.Client.Shutdown(SocketShutdown.Send);
        }
        // Best effort, whatever fails: e.g. OpenSSL refuses a shutdown while the handshake is unfinished
        // ("shutdown while in init"); the stream is disposed next either way.
        catch (Exception) { }
        finally { _writeLock.Release(); }
    }
}
