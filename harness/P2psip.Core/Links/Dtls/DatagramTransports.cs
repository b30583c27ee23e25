using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace P2psip.Links.Dtls;

/// <summary>
/// The UDP datagrams under DTLS, with a tap that sees each datagram (encrypted record) in each
/// direction and may drop or change it: what loss and corruption tests use.
/// </summary>
internal abstract class TappedDatagramTransport : DatagramTransport
{
    /// <summary>Room for any UDP payload on loopback; RELOAD fragments larger messages itself (§6.7).</summary>
    private const int Limit = 65507 - 100;

    public LinkTap? DatagramTap { get; set; }

    /// <summary>Set once closed, by this side or by DTLS on the peer's close_notify.</summary>
    public bool IsClosed => Volatile.Read(ref _closedFlag) != 0;
    private int _closedFlag;

    /// <summary>Marks the transport closed; true the first time only.</summary>
    protected bool MarkClosed() => Interlocked.Exchange(ref _closedFlag, 1) == 0;

    public int GetReceiveLimit() => Limit;
    public int GetSendLimit() => Limit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        var deadline = Environment.TickCount64 + waitMillis;
        while (true)
        {
            int remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
            var datagram = Take(remaining);
            if (datagram is null) return -1;
            if (DatagramTap is { } tap) datagram = tap(LinkDirection.Inbound, datagram);
            if (datagram is null) continue; // dropped by the tap
            int n = Math.Min(datagram.Length, buffer.Length);
            datagram.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        var datagram = buffer.ToArray();
        if (DatagramTap is { } tap) datagram = tap(LinkDirection.Outbound, datagram);
        if (datagram is null) return;
        Put(datagram);
    }

    /// <summary>The next datagram, or null when none came within <paramref name="waitMillis"/>.</summary>
    public abstract IPEndPoint? LocalEndPoint { get; }
    public abstract IPEndPoint? RemoteEndPoint { get; }

    protected abstract byte[]? Take(int waitMillis);
    protected abstract void Put(byte[] datagram);
    public abstract void Close();
}

/// <summary>The client's side: its own UDP socket connected to the server.</summary>
internal sealed class ConnectedUdpTransport : TappedDatagramTransport
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[65536];

    public ConnectedUdpTransport(IPEndPoint remote)
    {
        _socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(remote);
        LocalEndPoint = _socket.LocalEndPoint as IPEndPoint;
        RemoteEndPoint = remote;
    }

    public override IPEndPoint? LocalEndPoint { get; }
    public override IPEndPoint? RemoteEndPoint { get; }

    protected override byte[]? Take(int waitMillis)
    {
        try
        {
            if (!_socket.Poll(waitMillis * 1000L > int.MaxValue ? int.MaxValue : waitMillis * 1000, SelectMode.SelectRead)) return null;
            int n = _socket.Receive(_buffer);
            return _buffer.AsSpan(0, n).ToArray();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // An ICMP port unreachable from an earlier send; nothing to read.
            return null;
        }
        catch (ObjectDisposedException) { return null; }
    }

    protected override void Put(byte[] datagram)
    {
        try { _socket.Send(datagram); }
        catch (SocketException) { } // UDP: a lost datagram, as far as DTLS and SR can tell
        catch (ObjectDisposedException) { }
    }

    public override void Close()
    {
        if (MarkClosed()) _socket.Dispose();
    }
}

/// <summary>The server's side for one client: datagrams demultiplexed from the listener's socket by source address.</summary>
internal sealed class DemultiplexedUdpTransport(Socket socket, EndPoint remote, Action onClose) : TappedDatagramTransport
{
    private readonly BlockingCollection<byte[]> _queue = new(new ConcurrentQueue<byte[]>(), 1024);

    public EndPoint Remote => remote;
    public override IPEndPoint? LocalEndPoint { get; } = socket.LocalEndPoint as IPEndPoint;
    public override IPEndPoint? RemoteEndPoint => remote as IPEndPoint;

    public void Enqueue(byte[] datagram)
    {
        if (IsClosed) return;
        try { _queue.TryAdd(datagram); } // a full queue drops, as UDP would
        catch (InvalidOperationException) { } // closed meanwhile
    }

    protected override byte[]? Take(int waitMillis)
    {
        try { return _queue.TryTake(out var d, waitMillis) ? d : null; }
        catch (ObjectDisposedException) { return null; }
        catch (InvalidOperationException) { return null; }
    }

    protected override void Put(byte[] datagram)
    {
        try { socket.SendTo(datagram, remote); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    public override void Close()
    {
        if (!MarkClosed()) return;
        _queue.CompleteAdding();
        onClose();
    }
}
