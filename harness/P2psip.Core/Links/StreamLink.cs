using System.Buffers.Binary;
using System.Threading.Channels;
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
/// </summary>
public sealed class StreamLink : IOverlayLink
{
    private readonly Stream _stream;
    private readonly IDisposable? _owner;
    private readonly bool _framed;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<ReadOnlyMemory<byte>> _inbox = Channel.CreateUnbounded<ReadOnlyMemory<byte>>();
    private readonly ReceivedWindow _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private uint _nextSequence;

    internal StreamLink(Stream stream, IDisposable? owner, string protocol, bool secure, bool framed, ReloadCertificate? peer, LinkLimits limits)
    {
        _stream = stream;
        _owner = owner;
        _framed = framed;
        Protocol = protocol;
        IsSecure = secure;
        PeerCertificate = peer;
        PeerNodeId = peer is { NodeIds.Count: > 0 } ? peer.NodeIds[0] : Opaque.Empty;
        MaxMessageSize = limits.MaxMessageSize;
        TlsVersion = stream is System.Net.Security.SslStream ssl ? ssl.SslProtocol.ToString() : null;
        _reader = Task.Run(ReadLoop);
    }

    public string Protocol { get; }
    public bool IsSecure { get; }
    public Opaque PeerNodeId { get; internal set; }
    public ReloadCertificate? PeerCertificate { get; }
    public LinkTap? Tap { get; set; }
    public int MaxMessageSize { get; }
    /// <summary>The TLS version negotiated (Tls12, Tls13), or null on a plaintext link.</summary>
    public string? TlsVersion { get; }
    /// <summary>ACK frames received from the far side (framed links only).</summary>
    public long AcksReceived => Interlocked.Read(ref _acksReceived);
    private long _acksReceived;
    /// <summary>Why the link stopped reading, if it did for a reason other than an orderly close.</summary>
    public string? Failure { get; private set; }

    public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancel = default)
    {
        ReadOnlyMemory<byte> outbound = message;
        if (Tap is { } tap)
        {
            var changed = tap(LinkDirection.Outbound, message.ToArray());
            if (changed is null) return;
            outbound = changed;
        }
        await _writeLock.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (_framed)
                await _stream.WriteAsync(new DataFrame(_nextSequence++, new Opaque(outbound)).Encode(), cancel).ConfigureAwait(false);
            else
                await _stream.WriteAsync(outbound, cancel).ConfigureAwait(false);
            await _stream.FlushAsync(cancel).ConfigureAwait(false);
        }
        finally { _writeLock.Release(); }
    }

    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancel = default)
    {
        while (await _inbox.Reader.WaitToReadAsync(cancel).ConfigureAwait(false))
            if (_inbox.Reader.TryRead(out var message)) return message;
        return null;
    }

    private async Task ReadLoop()
    {
        var buffer = new byte[16 * 1024];
        var frames = new FrameReassembler(MaxMessageSize);
        var pending = new MemoryStream();
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (n == 0) break;
                if (_framed)
                {
                    foreach (var frame in frames.Push(buffer.AsSpan(0, n)))
                    {
                        if (frame is DataFrame data)
                        {
                            uint mask = _received.Add(data.Sequence);
                            await WriteAck(new AckFrame(data.Sequence, mask)).ConfigureAwait(false);
                            Deliver(data.Message.Memory);
                        }
                        else Interlocked.Increment(ref _acksReceived);
                    }
                    if (frames.Error is { } error)
                    {
                        Failure = $"bad framing from the peer: {error}";
                        break;
                    }
                }
                else if (!CutUnframed(pending, buffer.AsSpan(0, n)))
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
            _inbox.Writer.TryComplete();
        }
    }

    /// <summary>Cuts unframed messages by the forwarding header's length field (§6.3.2: bytes 16..19, the whole message's length).</summary>
    private bool CutUnframed(MemoryStream pending, ReadOnlySpan<byte> chunk)
    {
        pending.Write(chunk);
        while (true)
        {
            var bytes = pending.GetBuffer().AsSpan(0, (int)pending.Length);
            if (bytes.Length < 20) return true;
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
            if (length < ForwardingHeader.FixedSize || length > MaxMessageSize)
            {
                Failure = $"unframed message length {length} is outside {ForwardingHeader.FixedSize}..{MaxMessageSize}";
                return false;
            }
            if (bytes.Length < length) return true;
            Deliver(bytes[..(int)length].ToArray());
            var rest = bytes[(int)length..].ToArray();
            pending.SetLength(0);
            pending.Write(rest);
        }
    }

    private void Deliver(ReadOnlyMemory<byte> message)
    {
        if (Tap is { } tap)
        {
            if (tap(LinkDirection.Inbound, message.ToArray()) is { } changed) _inbox.Writer.TryWrite(changed);
        }
        else _inbox.Writer.TryWrite(message);
    }

    private async Task WriteAck(AckFrame ack)
    {
        await _writeLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(ack.Encode(), _stop.Token).ConfigureAwait(false);
            await _stream.FlushAsync(_stop.Token).ConfigureAwait(false);
        }
        finally { _writeLock.Release(); }
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        try { await _stream.DisposeAsync().ConfigureAwait(false); }
        catch (IOException) { }
        _owner?.Dispose();
        try { await _reader.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        _inbox.Writer.TryComplete();
        _stop.Dispose();
    }
}
