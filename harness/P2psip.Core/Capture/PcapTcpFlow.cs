using System.Net;
using P2psip.Framing;
using P2psip.Wire;

namespace P2psip.Capture;

/// <summary>
/// One TCP connection in a capture being written: each side's byte sequence numbers, and each
/// side's framing state (§6.6.2: a DATA sequence per message sent, and the 32 most recent sequence
/// numbers received, from which an ACK's <c>received</c> bitmask is made).
/// </summary>
public sealed class PcapTcpFlow
{
    /// <summary>Largest TCP payload per segment (Ethernet MTU 1500 less IPv4 and TCP headers).</summary>
    public const int MaxSegmentSize = 1460;

    private readonly PcapCaptureWriter _writer;
    private readonly Side _client, _server;
    private bool _closed;

    private sealed class Side(uint initialSequence)
    {
        public uint NextByte = initialSequence;
        public uint NextFrameSequence = 1;
        public readonly Queue<uint> Received = new();
    }

    internal PcapTcpFlow(PcapCaptureWriter writer, IPEndPoint client, IPEndPoint server)
    {
        _writer = writer;
        Client = client;
        Server = server;
        // Fixed initial sequence numbers derived from the ports, so files are reproducible.
        _client = new Side(0x1000_0000u + (uint)client.Port * 0x10000u);
        _server = new Side(0x2000_0000u + (uint)server.Port * 0x10000u);

        Segment(FlowDirection.ToServer, TcpFlags.Syn, []);
        _client.NextByte++;
        Segment(FlowDirection.ToClient, TcpFlags.Syn | TcpFlags.Ack, []);
        _server.NextByte++;
        Segment(FlowDirection.ToServer, TcpFlags.Ack, []);
    }

    public IPEndPoint Client { get; }
    public IPEndPoint Server { get; }

    /// <summary>Sends a RELOAD message in a DATA frame with the sender's next framing sequence; returns the frame.</summary>
    public DataFrame SendMessage(ReadOnlySpan<byte> reloadMessage, FlowDirection direction = FlowDirection.ToServer)
    {
        var sender = direction == FlowDirection.ToServer ? _client : _server;
        var frame = new DataFrame(sender.NextFrameSequence++, new Opaque(reloadMessage.ToArray()));
        SendFrame(frame, direction);
        return frame;
    }

    /// <summary>
    /// Sends the framing ACK (§6.6.2) of the DATA frame the sender most recently received from the
    /// other side. Returns null, sending nothing, when it has received none.
    /// </summary>
    public AckFrame? SendAck(FlowDirection direction)
    {
        var receiver = direction == FlowDirection.ToServer ? _client : _server;
        if (receiver.Received.Count == 0) return null;
        uint n = receiver.Received.Last();
        uint mask = 0;
        foreach (var m in receiver.Received)
        {
            // "if the sequence number M is less than N but greater than N-32, the N-M bit ... is set".
            uint distance = n - m;
            if (distance is > 0 and < 32) mask |= 1u << (int)distance;
        }
        var ack = new AckFrame(n, mask);
        SendFrame(ack, direction);
        return ack;
    }

    /// <summary>Sends any frame, well-formed or not, as bytes on the stream.</summary>
    public void SendFrame(FramedMessage frame, FlowDirection direction)
    {
        if (frame is DataFrame data)
        {
            var receiver = direction == FlowDirection.ToServer ? _server : _client;
            receiver.Received.Enqueue(data.Sequence);
            if (receiver.Received.Count > 32) receiver.Received.Dequeue();
        }
        SendBytes(frame.Encode(), direction);
    }

    /// <summary>Sends raw bytes on the stream, cut into segments of at most <see cref="MaxSegmentSize"/>.</summary>
    public void SendBytes(ReadOnlySpan<byte> bytes, FlowDirection direction)
    {
        if (_closed) throw new InvalidOperationException("the connection is closed");
        var sender = direction == FlowDirection.ToServer ? _client : _server;
        while (!bytes.IsEmpty)
        {
            int take = Math.Min(MaxSegmentSize, bytes.Length);
            var flags = TcpFlags.Ack | (take == bytes.Length ? TcpFlags.Psh : TcpFlags.None);
            Segment(direction, flags, bytes[..take]);
            sender.NextByte += (uint)take;
            bytes = bytes[take..];
        }
    }

    /// <summary>Closes the connection: FIN from the client, FIN+ACK from the server, final ACK.</summary>
    public void Close()
    {
        if (_closed) return;
        Segment(FlowDirection.ToServer, TcpFlags.Fin | TcpFlags.Ack, []);
        _client.NextByte++;
        Segment(FlowDirection.ToClient, TcpFlags.Fin | TcpFlags.Ack, []);
        _server.NextByte++;
        Segment(FlowDirection.ToServer, TcpFlags.Ack, []);
        _closed = true;
    }

    private void Segment(FlowDirection direction, TcpFlags flags, ReadOnlySpan<byte> payload)
    {
        bool toServer = direction == FlowDirection.ToServer;
        var (sender, receiver) = toServer ? (_client, _server) : (_server, _client);
        var (source, destination) = toServer ? (Client, Server) : (Server, Client);
        // The first SYN acknowledges nothing; every later segment acknowledges all the peer has sent.
        uint ack = flags.HasFlag(TcpFlags.Ack) ? receiver.NextByte : 0;
        _writer.Write(PcapPacketBuilder.Tcp(source, destination, toServer, sender.NextByte, ack, flags, payload, _writer.NextIpId()));
    }
}
