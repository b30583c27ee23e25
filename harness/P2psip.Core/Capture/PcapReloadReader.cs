using System.Net;
using PacketDotNet;
using P2psip.Framing;
using P2psip.Wire;
using SharpPcap;
using SharpPcap.LibPcap;

namespace P2psip.Capture;

/// <summary>
/// Reads framed RELOAD messages from a pcap or pcapng file: TCP to or from the RELOAD port is
/// reassembled per direction (in sequence-number order, retransmissions dropped) and cut into
/// frames by <see cref="FrameReassembler"/>; each UDP datagram to or from the port is one frame.
/// The file is opened by the constructor, so a missing or non-pcap file fails there.
/// </summary>
public sealed class PcapReloadReader : IDisposable
{
    /// <summary>Out-of-order segments held per direction while waiting for a gap to fill.</summary>
    private const int MaxPendingSegments = 4096;

    private readonly CaptureFileReaderDevice _device;
    private bool _used;

    /// <exception cref="CaptureFileException">The file is missing, unreadable or not a capture, or libpcap is missing.</exception>
    public PcapReloadReader(string path, ushort port = PcapCaptureWriter.ReloadPort)
    {
        Path = path;
        Port = port;
        if (Directory.Exists(path)) throw new CaptureFileException($"{path}: is a folder, not a capture file");
        if (!File.Exists(path)) throw new CaptureFileException($"{path}: no such file");
        _device = new CaptureFileReaderDevice(path);
        try
        {
            _device.Open(new DeviceConfiguration());
        }
        catch (DllNotFoundException e)
        {
            throw new CaptureFileException($"{path}: cannot read a capture: libpcap is not installed ({e.Message})", e);
        }
        catch (PcapException e)
        {
            throw new CaptureFileException($"{path}: not a readable pcap file ({e.Message.Replace(Environment.NewLine, " ")})", e);
        }
    }

    public string Path { get; }
    public ushort Port { get; }

    /// <summary>Reads every record of a capture.</summary>
    public static IReadOnlyList<PcapReloadRecord> ReadAll(string path, ushort port = PcapCaptureWriter.ReloadPort)
    {
        using var reader = new PcapReloadReader(path, port);
        return reader.Records().ToList();
    }

    /// <summary>The records in the order their last byte appears in the capture. Can be enumerated once.</summary>
    /// <exception cref="CaptureFileException">The file is cut short or otherwise breaks off.</exception>
    public IEnumerable<PcapReloadRecord> Records()
    {
        if (_used) throw new InvalidOperationException("the records of a capture can be read once");
        _used = true;
        var streams = new Dictionary<(IPEndPoint, IPEndPoint), TcpDirection>();
        int frameNumber = 0;
        while (true)
        {
            GetPacketStatus status;
            RawCapture raw;
            try
            {
                status = _device.GetNextPacket(out var capture);
                if (status != GetPacketStatus.PacketRead)
                {
                    if (status == GetPacketStatus.Error)
                        throw new CaptureFileException($"{Path}: capture breaks off after frame {frameNumber}: {_device.LastError}");
                    yield break;
                }
                raw = capture.GetPacket();
            }
            catch (PcapException e)
            {
                throw new CaptureFileException($"{Path}: capture breaks off after frame {frameNumber}: {e.Message}", e);
            }
            frameNumber++;
            foreach (var record in Decode(raw, frameNumber, streams))
                yield return record;
        }
    }

    private IEnumerable<PcapReloadRecord> Decode(RawCapture raw, int frameNumber, Dictionary<(IPEndPoint, IPEndPoint), TcpDirection> streams)
    {
        var ip = TryParseIp(raw);
        if (ip is null) yield break;
        var timestamp = new DateTimeOffset(raw.Timeval.Date, TimeSpan.Zero);

        if (ip.PayloadPacket is TcpPacket tcp && (tcp.SourcePort == Port || tcp.DestinationPort == Port))
        {
            var source = new IPEndPoint(ip.SourceAddress, tcp.SourcePort);
            var destination = new IPEndPoint(ip.DestinationAddress, tcp.DestinationPort);
            var direction = tcp.DestinationPort == Port ? FlowDirection.ToServer : FlowDirection.ToClient;
            var key = (source, destination);
            if (tcp.Synchronize || !streams.TryGetValue(key, out var stream))
                streams[key] = stream = new TcpDirection();
            foreach (var result in stream.Accept(tcp))
                yield return new PcapReloadRecord(frameNumber, timestamp, CaptureTransport.Tcp, source, destination, direction, result.Frame, result.Error);
        }
        else if (ip.PayloadPacket is UdpPacket udp && (udp.SourcePort == Port || udp.DestinationPort == Port))
        {
            var source = new IPEndPoint(ip.SourceAddress, udp.SourcePort);
            var destination = new IPEndPoint(ip.DestinationAddress, udp.DestinationPort);
            var direction = udp.DestinationPort == Port ? FlowDirection.ToServer : FlowDirection.ToClient;
            var decoded = FramedMessage.Decode(udp.PayloadData ?? []);
            yield return new PcapReloadRecord(frameNumber, timestamp, CaptureTransport.Udp, source, destination, direction,
                decoded.IsSuccess ? decoded.Value : null, decoded.Error);
        }
    }

    /// <summary>
    /// The IP packet inside a captured frame, with its transport header parsed, or null when there is
    /// none or PacketDotNet cannot parse it (a damaged packet in a capture is not RELOAD either).
    /// </summary>
    private static IPPacket? TryParseIp(RawCapture raw)
    {
        try
        {
            var ip = Packet.ParsePacket(raw.LinkLayerType, raw.Data).Extract<IPPacket>();
            // Touch the lazily parsed parts now, so that a damaged header fails here.
            _ = ip?.PayloadPacket switch
            {
                TcpPacket t => t.PayloadData?.Length ?? 0,
                UdpPacket u => u.PayloadData?.Length ?? 0,
                _ => 0,
            };
            return ip;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>One direction of a TCP connection: bytes in order, then frames.</summary>
    private sealed class TcpDirection
    {
        private uint? _next;
        private readonly SortedDictionary<long, byte[]> _pending = [];
        private readonly FrameReassembler _frames = new();
        private bool _reported;

        public IEnumerable<(FramedMessage? Frame, DecodeError? Error)> Accept(TcpPacket tcp)
        {
            if (tcp.Synchronize)
            {
                _next = tcp.SequenceNumber + 1; // the SYN takes one sequence number
                return [];
            }
            var payload = tcp.PayloadData;
            if (payload is null || payload.Length == 0) return [];
            _next ??= tcp.SequenceNumber; // capture started mid-connection

            var output = new List<(FramedMessage?, DecodeError?)>();
            Take(tcp.SequenceNumber, payload, output);
            // Drain segments that were waiting for this one.
            while (_pending.Count > 0)
            {
                var first = _pending.First();
                int offset = (int)((uint)first.Key - _next!.Value);
                if (offset > 0) break;
                _pending.Remove(first.Key);
                Take((uint)first.Key, first.Value, output);
            }
            return output;
        }

        private void Take(uint sequence, byte[] payload, List<(FramedMessage?, DecodeError?)> output)
        {
            int offset = (int)(sequence - _next!.Value);
            if (offset > 0)
            {
                // A gap: hold the segment until the missing bytes come.
                if (_pending.Count < MaxPendingSegments) _pending[sequence] = payload;
                return;
            }
            int skip = -offset; // bytes already received (a retransmission or overlap)
            if (skip >= payload.Length) return;
            _next = sequence + (uint)payload.Length;
            if (_reported) return;
            foreach (var frame in _frames.Push(payload.AsSpan(skip)))
                output.Add((frame, null));
            if (_frames.Error is { } error)
            {
                output.Add((null, error));
                _reported = true;
            }
        }
    }

    public void Dispose()
    {
        _device.Close();
        _device.Dispose();
    }
}
