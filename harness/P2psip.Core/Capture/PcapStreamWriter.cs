using System.Buffers.Binary;
using System.Net;
using P2psip.Framing;

namespace P2psip.Capture;

/// <summary>
/// A link as the capture writer sees it: its two ends, which end listens (the server: its port
/// becomes the RELOAD port in the capture unless <see cref="PcapStreamWriter.KeepServerPorts"/>), and
/// whether it is a stream (TLS over TCP) or datagrams (DTLS over UDP).
/// </summary>
public sealed record CaptureLink(IPEndPoint Client, IPEndPoint Server, CaptureTransport Transport);

/// <summary>
/// Writes the messages that cross harness links into a pcap file as they happen: decrypted RELOAD
/// messages in DATA frames (§6.6.2), stream links as TCP connections (handshake on the first
/// message, real sequence and acknowledgment numbers, checksums, FIN on <see cref="Close"/>),
/// datagram links as one UDP datagram per frame. The listening side's port is written as 6084
/// (IANA's RELOAD port, §14.2), so Wireshark's reload-framing dissector decodes the file with no
/// settings. Each packet goes to the file when written (through a 64 KiB buffer): memory holds only
/// each open link's few counters, so a run of a million messages does not accumulate. Thread-safe:
/// a link pipeline handler on every link may call <see cref="Write"/> concurrently.
/// </summary>
public sealed class PcapStreamWriter : IDisposable
{
    private const int Mss = 1460;
    private const uint MaxDataLength = 0xFF_FFFF;
    /// <summary>65535 less the IPv6 and UDP headers and the DATA header.</summary>
    private const int MaxDatagramMessage = 65535 - 40 - 8 - 8;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Dictionary<CaptureLink, LinkState> _links = [];
    private readonly byte[] _packet = new byte[RawPacketBuilder.HeaderSize(true, true) + Mss + FramedMessage.DataHeaderSize];
    private readonly byte[] _frameHeader = new byte[FramedMessage.DataHeaderSize];
    private readonly Lock _lock = new();
    private ushort _ipId;
    private bool _disposed;

    /// <summary>Creates (or truncates) <paramref name="path"/>.</summary>
    /// <exception cref="CaptureFileException">The file cannot be created.</exception>
    public static PcapStreamWriter Create(string path)
    {
        try
        {
            return new PcapStreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024), ownsStream: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CaptureFileException($"{path}: cannot write a capture: {e.Message}", e);
        }
    }

    public PcapStreamWriter(Stream stream, bool ownsStream = false)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4); // microsecond timestamps
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 262144); // snap length
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1); // LINKTYPE_ETHERNET
        _stream.Write(header);
    }

    /// <summary>Write the listening side's real port instead of 6084 (Wireshark then needs <c>-d tcp.port==N,reload-framing</c>).</summary>
    public bool KeepServerPorts { get; init; }

    public long PacketsWritten { get; private set; }
    public long MessagesWritten { get; private set; }

    /// <summary>Links open now (each holds a few counters).</summary>
    public int OpenLinks
    {
        get { lock (_lock) return _links.Count; }
    }

    /// <summary>
    /// Writes one whole RELOAD message that crossed <paramref name="link"/> at <paramref name="timestamp"/>,
    /// from client to server (<see cref="FlowDirection.ToServer"/>) or back.
    /// </summary>
    public void Write(CaptureLink link, FlowDirection direction, DateTimeOffset timestamp, ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxDataLength)
            throw new ArgumentException($"a DATA frame holds at most {MaxDataLength} bytes, the message has {message.Length}");
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var state = State(link, timestamp);
            bool toServer = direction == FlowDirection.ToServer;
            var side = toServer ? state.ClientSide : state.ServerSide;
            var frameHeader = _frameHeader.AsSpan();
            frameHeader[0] = FramedMessage.DataType;
            BinaryPrimitives.WriteUInt32BigEndian(frameHeader[1..], side.NextFrameSequence++);
            frameHeader[5] = (byte)(message.Length >> 16);
            frameHeader[6] = (byte)(message.Length >> 8);
            frameHeader[7] = (byte)message.Length;
            if (link.Transport == CaptureTransport.Udp)
            {
                // One datagram per frame (§6.6.2); a frame larger than the shared packet buffer gets a buffer of its own.
                if (message.Length > MaxDatagramMessage)
                    throw new ArgumentException($"a UDP datagram holds at most {MaxDatagramMessage} message bytes in a frame, the message has {message.Length}");
                int room = _packet.Length - RawPacketBuilder.HeaderSize(true, false) - FramedMessage.DataHeaderSize;
                var payload = new byte[FramedMessage.DataHeaderSize + message.Length];
                frameHeader.CopyTo(payload);
                message.CopyTo(payload.AsSpan(FramedMessage.DataHeaderSize));
                if (payload.Length - FramedMessage.DataHeaderSize > room)
                {
                    WritePacketLarge(state, toServer, timestamp, payload);
                }
                else
                {
                    Packet(state, toServer, false, 0, 0, 0, payload, timestamp);
                }
            }
            else
            {
                // The frame's bytes go out in segments of at most one MSS, like a TCP stack's.
                Segments(state, toServer, frameHeader, message, timestamp);
            }
            MessagesWritten++;
        }
    }

    /// <summary>Writes the end of a stream link (FIN both ways) and forgets it.</summary>
    public void Close(CaptureLink link, DateTimeOffset timestamp)
    {
        lock (_lock)
        {
            if (_disposed || !_links.Remove(link, out var state) || link.Transport != CaptureTransport.Tcp) return;
            TcpControl(state, true, RawPacketBuilder.Fin | RawPacketBuilder.Ack, timestamp);
            state.ClientSide.NextByte++;
            TcpControl(state, false, RawPacketBuilder.Fin | RawPacketBuilder.Ack, timestamp);
            state.ServerSide.NextByte++;
            TcpControl(state, true, RawPacketBuilder.Ack, timestamp);
        }
    }

    /// <summary>Pushes what is buffered to the file.</summary>
    public void Flush()
    {
        lock (_lock) if (!_disposed) _stream.Flush();
    }

    private sealed class Side(uint initialSequence)
    {
        public uint NextByte = initialSequence;
        public uint NextFrameSequence = 1;
    }

    private sealed class LinkState(IPEndPoint client, IPEndPoint server, uint clientIsn, uint serverIsn)
    {
        public IPEndPoint Client { get; } = client;
        public IPEndPoint Server { get; } = server;
        public Side ClientSide { get; } = new(clientIsn);
        public Side ServerSide { get; } = new(serverIsn);
    }

    private LinkState State(CaptureLink link, DateTimeOffset timestamp)
    {
        if (_links.TryGetValue(link, out var state)) return state;
        var client = Normalise(link.Client);
        var server = Normalise(link.Server);
        if (client.AddressFamily != server.AddressFamily)
        {
            // A dual-stack socket may report one end mapped and the other not: write both as IPv6.
            client = new IPEndPoint(client.Address.MapToIPv6(), client.Port);
            server = new IPEndPoint(server.Address.MapToIPv6(), server.Port);
        }
        if (!KeepServerPorts) server = new IPEndPoint(server.Address, PcapCaptureWriter.ReloadPort);
        // Initial sequence numbers from the ports, so the same links give the same file.
        state = new LinkState(client, server, 0x1000_0000u + (uint)client.Port * 0x10000u, 0x2000_0000u + (uint)server.Port * 0x10000u);
        _links[link] = state;
        if (link.Transport == CaptureTransport.Tcp)
        {
            TcpControl(state, true, RawPacketBuilder.Syn, timestamp);
            state.ClientSide.NextByte++;
            TcpControl(state, false, RawPacketBuilder.Syn | RawPacketBuilder.Ack, timestamp);
            state.ServerSide.NextByte++;
            TcpControl(state, true, RawPacketBuilder.Ack, timestamp);
        }
        return state;
    }

    private static IPEndPoint Normalise(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;

    private void TcpControl(LinkState state, bool toServer, byte flags, DateTimeOffset timestamp)
    {
        var (sender, receiver) = toServer ? (state.ClientSide, state.ServerSide) : (state.ServerSide, state.ClientSide);
        uint ack = (flags & RawPacketBuilder.Ack) != 0 ? receiver.NextByte : 0;
        Packet(state, toServer, true, sender.NextByte, ack, flags, [], timestamp);
    }

    private void Segments(LinkState state, bool toServer, ReadOnlySpan<byte> frameHeader, ReadOnlySpan<byte> message, DateTimeOffset timestamp)
    {
        var (sender, receiver) = toServer ? (state.ClientSide, state.ServerSide) : (state.ServerSide, state.ClientSide);
        Span<byte> chunk = stackalloc byte[Mss];
        int total = frameHeader.Length + message.Length, sent = 0;
        while (sent < total)
        {
            int take = Math.Min(Mss, total - sent);
            // Gather this segment's bytes from the frame header and the message.
            for (int i = 0; i < take; i++)
            {
                int at = sent + i;
                chunk[i] = at < frameHeader.Length ? frameHeader[at] : message[at - frameHeader.Length];
            }
            byte flags = (byte)(RawPacketBuilder.Ack | (sent + take == total ? RawPacketBuilder.Psh : 0));
            Packet(state, toServer, true, sender.NextByte, receiver.NextByte, flags, chunk[..take], timestamp);
            sender.NextByte += (uint)take;
            sent += take;
        }
    }

    private void WritePacketLarge(LinkState state, bool toServer, DateTimeOffset timestamp, byte[] payload)
    {
        var (source, destination) = toServer ? (state.Client, state.Server) : (state.Server, state.Client);
        var packet = new byte[RawPacketBuilder.HeaderSize(true, false) + payload.Length];
        int length = RawPacketBuilder.Build(packet, source, destination, toServer, false, 0, 0, 0, payload, _ipId++);
        Record(packet.AsSpan(0, length), timestamp);
    }

    private void Packet(LinkState state, bool toServer, bool tcp, uint sequence, uint ack, byte flags, ReadOnlySpan<byte> payload, DateTimeOffset timestamp)
    {
        var (source, destination) = toServer ? (state.Client, state.Server) : (state.Server, state.Client);
        int length = RawPacketBuilder.Build(_packet, source, destination, toServer, tcp, sequence, ack, flags, payload, _ipId++);
        Record(_packet.AsSpan(0, length), timestamp);
    }

    private void Record(ReadOnlySpan<byte> packet, DateTimeOffset timestamp)
    {
        long micros = (timestamp.ToUniversalTime() - DateTimeOffset.UnixEpoch).Ticks / 10;
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(micros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(micros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)packet.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)packet.Length);
        _stream.Write(header);
        _stream.Write(packet);
        PacketsWritten++;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _stream.Flush();
            if (_ownsStream) _stream.Dispose();
        }
    }
}
