using System.Net;
using PacketDotNet;
using P2psip.Framing;
using SharpPcap;
using SharpPcap.LibPcap;

namespace P2psip.Capture;

/// <summary>
/// Writes RELOAD traffic to a pcap file (Ethernet link type) as it would look on a wire: framed
/// messages (§6.6.2) inside a TCP connection to port 6084 (handshake first, real sequence and
/// acknowledgment numbers, checksums), or inside UDP datagrams. Wireshark's reload-framing dissector
/// decodes port 6084 with no settings. Timestamps come from a clock, by default a fixed one that
/// steps 1 ms per packet so that the same traffic always gives the same file.
/// </summary>
public sealed class PcapCaptureWriter : IDisposable
{
    /// <summary>The RELOAD port registered with IANA (§14.2 of RFC 6940), the default server port.</summary>
    public const ushort ReloadPort = 6084;

    /// <summary>Addresses of the documentation range (RFC 5737): these captures describe no real hosts.</summary>
    public static readonly IPAddress DefaultClientAddress = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress DefaultServerAddress = IPAddress.Parse("192.0.2.2");
    public const ushort FirstEphemeralPort = 49152;

    /// <summary>The start of the default clock: 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CaptureFileWriterDevice _device;
    private readonly Func<DateTimeOffset> _clock;
    private ushort _nextEphemeralPort = FirstEphemeralPort;
    private ushort _ipId;
    private bool _disposed;

    /// <summary>Creates (or truncates) <paramref name="path"/>.</summary>
    /// <exception cref="CaptureFileException">The file cannot be created, or libpcap is missing.</exception>
    public PcapCaptureWriter(string path, Func<DateTimeOffset>? clock = null)
    {
        _clock = clock ?? SteppingClock(DefaultStart, TimeSpan.FromMilliseconds(1));
        try
        {
            _device = new CaptureFileWriterDevice(path, FileMode.Create);
        }
        catch (DllNotFoundException e)
        {
            throw new CaptureFileException($"{path}: cannot write a capture: libpcap is not installed ({e.Message})", e);
        }
        try
        {
            _device.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet });
        }
        catch (Exception e) when (e is PcapException or DllNotFoundException)
        {
            _device.Dispose();
            throw new CaptureFileException($"{path}: cannot write a capture: {e.Message}", e);
        }
        Path = path;
    }

    public string Path { get; }

    /// <summary>Packets written so far (handshake and acknowledgments included).</summary>
    public int PacketsWritten { get; private set; }

    /// <summary>A clock that returns <paramref name="start"/>, then one <paramref name="step"/> later at each call.</summary>
    public static Func<DateTimeOffset> SteppingClock(DateTimeOffset start, TimeSpan step)
    {
        var next = start;
        return () =>
        {
            var now = next;
            next += step;
            return now;
        };
    }

    /// <summary>
    /// Opens a TCP connection from the next ephemeral port of the client address to the server's
    /// RELOAD port, writing the three-way handshake.
    /// </summary>
    public PcapTcpFlow OpenTcpFlow(IPEndPoint? client = null, IPEndPoint? server = null)
    {
        client ??= new IPEndPoint(DefaultClientAddress, _nextEphemeralPort++);
        server ??= new IPEndPoint(DefaultServerAddress, ReloadPort);
        return new PcapTcpFlow(this, client, server);
    }

    /// <summary>Writes one framed message as one UDP datagram (§6.6: datagram links carry one frame each).</summary>
    public void WriteUdpFrame(FramedMessage frame, IPEndPoint? source = null, IPEndPoint? destination = null, FlowDirection direction = FlowDirection.ToServer)
    {
        source ??= direction == FlowDirection.ToServer ? new IPEndPoint(DefaultClientAddress, FirstEphemeralPort) : new IPEndPoint(DefaultServerAddress, ReloadPort);
        destination ??= direction == FlowDirection.ToServer ? new IPEndPoint(DefaultServerAddress, ReloadPort) : new IPEndPoint(DefaultClientAddress, FirstEphemeralPort);
        Write(PcapPacketBuilder.Udp(source, destination, direction == FlowDirection.ToServer, frame.Encode(), NextIpId()));
    }

    internal ushort NextIpId() => _ipId++;

    internal void Write(byte[] packet)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var time = _clock().ToUniversalTime();
        long micros = (time - DateTimeOffset.UnixEpoch).Ticks / 10;
        var header = new PcapHeader((uint)(micros / 1_000_000), (uint)(micros % 1_000_000), (uint)packet.Length, (uint)packet.Length);
        _device.Write(packet, ref header);
        PacketsWritten++;
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _device.Close();
        _device.Dispose();
    }
}
